import logging

import pytest
from django.core.management import call_command
from django.db import connection

from apps.clouds.models import SyncRun
from apps.clouds.sync.runner import run_sync
from apps.inventory.models import Cloud

PASSWORD = "pw-Zq9-never-in-clear"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.simulator(servers=5, projects=1, password=PASSWORD),
]


def everything_in_the_database() -> str:
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(text)


def test_no_password_in_clear_in_the_database_or_the_logs(simulator, tmp_path, caplog):
    clouds_yaml = tmp_path / "clouds.yaml"
    clouds_yaml.write_text(
        f"clouds:\n  sim:\n    auth:\n      auth_url: {simulator.auth_url}\n"
        f"      username: {simulator.username}\n      password: {PASSWORD}\n"
        f"      project_name: {simulator.project_name}\n"
    )
    caplog.set_level(logging.DEBUG)

    call_command("import_clouds", str(clouds_yaml))
    cloud = Cloud.objects.get(name="sim")
    run_sync(SyncRun.objects.create(cloud=cloud, kind="instances"))
    cloud.password = PASSWORD + "-wrong"
    cloud.save()
    failed = SyncRun.objects.create(cloud=cloud, kind="catalog")
    with pytest.raises(Exception, match="refused the credentials"):
        run_sync(failed)

    assert Cloud.objects.get(name="sim").password == PASSWORD + "-wrong"
    assert PASSWORD not in everything_in_the_database()
    assert PASSWORD not in caplog.text
    assert "REQ:" in caplog.text or "POST /v3/auth/tokens" in caplog.text  # logs were captured
