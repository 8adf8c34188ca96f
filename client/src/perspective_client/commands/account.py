"""Logging in to a server (a profile: its URL and an API token) and out."""

import os
import sys

import click

from .. import config
from ..api import Api
from ..context import App, common_options, pass_app


@click.command()
@click.argument("url", required=False)
@common_options
@pass_app
def login(app: App, url):
    """Check an API token against a server and store both, readable by you only.

    The token is asked for (hidden), or read from PERSPECTIVE_TOKEN; the URL defaults to
    PERSPECTIVE_URL. An administrator prints tokens with `manage.py grant` or `ensure_admin`.

    \b
    Examples:
      perspective login http://127.0.0.1:8000
      perspective login https://perspective.example.org --profile prod
    """
    url = url or os.environ.get("PERSPECTIVE_URL") or click.prompt("URL of Perspective", err=True)
    url = config.normalized_url(url)
    token = os.environ.get("PERSPECTIVE_TOKEN") or _read_token()
    server = config.Server(url, token.strip(), app.profile or config.DEFAULT_PROFILE)
    Api(server, say=app.out.say, timeout=app.timeout).get("/operations")  # 401 if refused
    path = config.save(server)
    profile = "" if server.profile == config.DEFAULT_PROFILE else f" (profile {server.profile})"
    app.out.note(f"Logged in to {url}{profile}; the token is in {path}, readable by you only.")


@click.command()
@common_options
@pass_app
def logout(app: App):
    """Forget the server and token of a profile.

    \b
    Example:
      perspective logout --profile prod
    """
    profile = app.profile or config.DEFAULT_PROFILE
    if config.forget(profile):
        app.out.note(f"Forgot profile {profile}.")
    else:
        app.out.note(f"No profile {profile} was stored.")


def _read_token() -> str:
    if sys.stdin.isatty():
        return click.prompt("API token", hide_input=True, err=True)
    return sys.stdin.readline()  # echo "$TOKEN" | perspective login URL


COMMANDS = [login, logout]
