import pytest
from django.core.management import CommandError, call_command

from apps.clouds.models import SyncRun
from apps.inventory.models import Cloud, Instance
from openstack_simulator.clouds_yaml import write_clouds_yaml

pytestmark = [pytest.mark.django_db, pytest.mark.simulator(servers=30, projects=1)]


def test_import_clouds_accepts_the_simulators_clouds_yaml(simulator, tmp_path, capsys):
    path = tmp_path / "clouds.yaml"
    write_clouds_yaml(path, simulator.simulator)

    call_command("import_clouds", str(path))

    cloud = Cloud.objects.get(name="simulator")
    assert (cloud.auth_url, cloud.username, cloud.password) == (
        simulator.auth_url,
        simulator.username,
        simulator.password,
    )
    assert cloud.regions == simulator.regions
    assert "Created cloud simulator" in capsys.readouterr().out


def test_import_clouds_updates_an_existing_cloud(tmp_path):
    path = tmp_path / "clouds.yaml"
    path.write_text(
        "clouds:\n  east:\n    auth:\n      auth_url: https://a.example/v3\n"
        "      username: u\n      password: p\n    region_name: R1\n"
    )
    call_command("import_clouds", str(path))
    path.write_text(path.read_text().replace("R1", "R2"))

    call_command("import_clouds", str(path))

    assert Cloud.objects.get(name="east").regions == ["R2"]


def test_import_clouds_reads_application_credentials_and_domain_ids(tmp_path):
    path = tmp_path / "clouds.yaml"
    path.write_text(
        "clouds:\n  appcred:\n    auth_type: v3applicationcredential\n    auth:\n"
        "      auth_url: https://a.example/v3\n      application_credential_id: abc\n"
        "      application_credential_secret: s3cret\n      project_domain_id: d1\n"
        "    interface: internal\n    verify: false\n"
    )

    call_command("import_clouds", str(path))

    cloud = Cloud.objects.get(name="appcred")
    assert cloud.application_credential_secret == "s3cret"
    assert (cloud.project_domain_id, cloud.project_domain_name) == ("d1", "")
    assert (cloud.interface, cloud.verify_tls) == ("internal", False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("clouds: [", "Not valid YAML"),
        ("nothing: here", "No `clouds:` mapping"),
        ("clouds:\n  x:\n    region_name: R", "has no `auth:` mapping"),
        ("clouds:\n  x:\n    auth:\n      username: u\n      password: p", "has no auth_url"),
        ("clouds:\n  x:\n    auth:\n      auth_url: https://a.example/v3", "Give a username"),
        (
            "clouds:\n  bad.name:\n    auth:\n      auth_url: https://a/v3\n"
            "      username: u\n      password: p",
            "bad.name",
        ),
    ],
)
def test_import_clouds_refuses_bad_files_and_saves_nothing(tmp_path, text, message):
    path = tmp_path / "clouds.yaml"
    path.write_text(text)

    with pytest.raises(CommandError, match=message):
        call_command("import_clouds", str(path))
    assert not Cloud.objects.exists()


def test_check_cloud_prints_what_the_credentials_see(cloud, capsys):
    call_command("check_cloud", "sim")

    out = capsys.readouterr().out
    assert "regions: ['RegionOne', 'RegionTwo']" in out
    assert out.count("instances") == 2


def test_check_cloud_says_in_one_line_that_the_password_is_wrong(cloud):
    cloud.password = "nope"
    cloud.save()

    with pytest.raises(CommandError) as raised:
        call_command("check_cloud", "sim")
    assert str(raised.value) == "sim: The cloud refused the credentials"


def test_check_cloud_says_when_the_host_is_unreachable(cloud):
    cloud.auth_url = "http://127.0.0.1:9/v3"
    cloud.save()

    with pytest.raises(CommandError, match=r"^sim: Cannot connect to http://127.0.0.1:9/v3"):
        call_command("check_cloud", "sim")


def test_check_cloud_says_when_there_is_no_keystone(cloud, simulator):
    cloud.auth_url = simulator.base_url + "/nothing"
    cloud.save()

    with pytest.raises(CommandError, match="No Keystone v3 identity service at"):
        call_command("check_cloud", "sim")


def test_sync_full_runs_catalog_and_instances_with_a_summary(cloud, capsys):
    call_command("sync", "--full")

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("sim: catalog sync succeeded")
    assert out[1].startswith("sim: instances sync succeeded")
    assert "30 created" in out[1]
    assert Instance.objects.count() == 30


def test_sync_reports_a_failed_cloud_and_exits_non_zero(cloud, capsys):
    cloud.password = "nope"
    cloud.save()

    with pytest.raises(CommandError, match="1 sync"):
        call_command("sync", "--cloud", "sim")
    assert "(The cloud refused the credentials)" in capsys.readouterr().out
    assert SyncRun.objects.get().status == "failed"


def test_sync_of_an_unknown_cloud_is_an_error(db):
    with pytest.raises(CommandError, match="No cloud named 'nope'"):
        call_command("sync", "--cloud", "nope")


def test_sync_prints_each_result_once(cloud, capsys, caplog):
    caplog.set_level("INFO")
    call_command("sync")

    assert len(capsys.readouterr().out.splitlines()) == 1
    assert not [record for record in caplog.records if record.name.startswith("apps.clouds")]
