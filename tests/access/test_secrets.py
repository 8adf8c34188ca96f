import logging

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

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


def test_no_token_or_password_in_the_logs_of_requests(
    client, django_user_model, log_output, caplog
):
    password = "pw-Kx4-of-a-user"
    user = django_user_model.objects.create_user("carol", password=password, is_staff=True)
    token = Token.objects.create(user=user).key
    wrong_token = "0123456789abcdef0123456789abcdef01234567"
    caplog.set_level(logging.DEBUG)

    client.get("/operations", HTTP_AUTHORIZATION=f"Token {token}")
    client.get("/instances/unknown", HTTP_AUTHORIZATION=f"Token {token}")
    client.get("/operations", HTTP_AUTHORIZATION=f"Token {wrong_token}")
    client.post("/admin/login/", {"username": "carol", "password": password + "-wrong"})
    client.post("/admin/login/", {"username": "carol", "password": password})

    logged = log_output.getvalue()
    for secret in (token, wrong_token, password):
        assert secret not in logged
    assert "Not Found: /instances/unknown" in logged  # the requests were logged
    assert "Unauthorized: /operations" in logged
