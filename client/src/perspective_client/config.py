"""Profiles: the server's URL and an API token each, in `config.ini` of the user's config
directory (~/.config/perspective on Linux), readable by the user only. PERSPECTIVE_URL and
PERSPECTIVE_TOKEN override the default profile's values; --profile (PERSPECTIVE_PROFILE) picks
another profile, taken as it is stored."""

import configparser
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from .errors import AuthFailed, BadUsage

DEFAULT_PROFILE = "default"


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    profile: str = DEFAULT_PROFILE

    @property
    def login_hint(self) -> str:
        option = "" if self.profile == DEFAULT_PROFILE else f" --profile {self.profile}"
        return f"perspective login {self.url}{option}"


def config_dir() -> Path:
    return Path(click.get_app_dir("perspective"))


def config_file() -> Path:
    return config_dir() / "config.ini"


def server_for(profile: str | None) -> Server:
    """The server of `profile` (None: the default, which the environment may override)."""
    name = profile or DEFAULT_PROFILE
    stored = _read()
    section = stored[name] if stored.has_section(name) else {}
    url, token = section.get("url"), section.get("token")
    if profile is None:
        url = os.environ.get("PERSPECTIVE_URL") or url
        token = os.environ.get("PERSPECTIVE_TOKEN") or token
    if not url:
        option = "" if profile is None else f" --profile {name}"
        raise AuthFailed(
            f"Not logged in: run `perspective login URL{option}` "
            "(or set PERSPECTIVE_URL and PERSPECTIVE_TOKEN)"
        )
    url = normalized_url(url)
    if not token:
        raise AuthFailed(f"No API token for {url}: run `{Server(url, '', name).login_hint}`")
    return Server(url, token, name)


def normalized_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    if not url.startswith(("http://", "https://")):
        raise BadUsage(f"Not an http:// or https:// URL: {url}")
    return url


def save(server: Server) -> Path:
    """Stores the profile; the file is replaced whole, created readable by the user only."""
    stored = _read()
    if not stored.has_section(server.profile):
        stored.add_section(server.profile)
    stored[server.profile]["url"] = server.url
    stored[server.profile]["token"] = server.token
    return _write(stored)


def forget(profile: str) -> bool:
    stored = _read()
    if not stored.remove_section(profile):
        return False
    _write(stored)
    return True


def _read() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    path = config_file()
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            click.echo(
                f"Warning: {path} is readable by others (mode {mode:o}): chmod 600 it.", err=True
            )
        parser.read(path, encoding="utf-8")
    return parser


def _write(parser: configparser.ConfigParser) -> Path:
    path = config_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600; the rename makes the change whole or nothing.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as output:
            parser.write(output)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
