"""perspective login: the token checked against the server and stored in the user's config
directory, readable by the user only; profiles; the environment."""

import configparser
import stat

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

NO_ENV = {"PERSPECTIVE_URL": None, "PERSPECTIVE_TOKEN": None}


def stored(home) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(home / "perspective" / "config.ini")
    return parser


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_login_checks_and_stores_the_token_for_the_user_only(cli, live_server, token, home):
    ran = cli("login", live_server.url, input=f"{token}\n", **NO_ENV)

    assert ran.exit_code == 0
    path = home / "perspective" / "config.ini"
    assert f"Logged in to {live_server.url}; the token is in {path}" in ran.stderr
    assert dict(stored(home)["default"]) == {"url": live_server.url, "token": token}
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert cli("tables", **NO_ENV).exit_code == 0  # from the stored profile


def test_a_refused_token_is_not_stored(cli, live_server, home):
    ran = cli("login", live_server.url, input="wrong\n", **NO_ENV)

    assert ran.exit_code == 3
    assert "refused the token" in ran.stderr
    assert not (home / "perspective" / "config.ini").exists()


def test_login_from_the_environment(cli, live_server, token, home):
    ran = cli("login")

    assert ran.exit_code == 0
    assert stored(home)["default"]["token"] == token


def test_profiles_select_a_server(cli, live_server, token, home):
    cli("login", live_server.url, "--profile", "prod", input=f"{token}\n", **NO_ENV)

    ran = cli("--profile", "prod", "tables", PERSPECTIVE_TOKEN="ignored-for-a-named-profile")
    by_env = cli("tables", PERSPECTIVE_PROFILE="prod", **NO_ENV)
    default = cli("tables", **NO_ENV)

    assert set(stored(home).sections()) == {"prod"}
    assert (ran.exit_code, by_env.exit_code) == (0, 0)
    assert default.exit_code == 3  # nothing stored as the default


def test_the_environment_overrides_the_default_profile(cli, live_server, token):
    cli("login", live_server.url, input=f"{token}\n", **NO_ENV)

    ran = cli("tables", PERSPECTIVE_TOKEN="bad")

    assert ran.exit_code == 3


def test_logout_forgets_the_profile(cli, live_server, token, home):
    cli("login", live_server.url, input=f"{token}\n", **NO_ENV)

    ran = cli("logout", "-o", "table")

    assert ran.stdout == "Forgot profile default.\n"
    assert stored(home).sections() == []
    assert cli("tables", **NO_ENV).exit_code == 3


def test_a_config_readable_by_others_is_warned_about(cli, live_server, token, home):
    cli("login", live_server.url, input=f"{token}\n", **NO_ENV)
    (home / "perspective" / "config.ini").chmod(0o644)

    ran = cli("tables", **NO_ENV)

    assert ran.exit_code == 0
    assert "is readable by others (mode 644): chmod 600 it" in ran.stderr
