import os
import secrets
import time
import urllib.request
from contextlib import suppress

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

RESET_HINT = "python manage.py ensure_admin --reset-password"


class Command(BaseCommand):
    help = (
        "Create a superuser with a random password, printed once, when there is none (or give "
        "the first superuser a new one with --reset-password); print the API token of the first "
        "superuser, framed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give the first superuser a new random password, printed once.",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="The web process's port, for the addresses printed (default: PORT, or 8000).",
        )
        parser.add_argument(
            "--wait-for-web",
            type=float,
            metavar="SECONDS",
            help="First wait up to so long for the web process to answer /ping (make run).",
        )

    def handle(self, *args, username, reset_password, port, wait_for_web, **options):
        base_url = f"http://127.0.0.1:{port}"
        if wait_for_web:
            _wait_for(f"{base_url}/ping", wait_for_web)
        admin, password = self._admin(username, reset_password)
        token, _ = Token.objects.get_or_create(user=admin)
        lines = [
            f"Perspective on {base_url}/  (admin at {base_url}/admin/)",
            f"User {admin.username!r}, "
            + (
                f"password: {password}"
                if password
                else f"password unchanged (a new one: {RESET_HINT})"
            ),
            f"API token of {admin.username}: {token.key}",
            f'  curl -H "Authorization: Token {token.key}" {base_url}/operations',
        ]
        if wait_for_web:
            lines.append("Ctrl-C stops everything.")
        self.stdout.write(frame(lines))

    def _admin(self, username: str, reset_password: bool):
        users = get_user_model().objects
        admin = users.filter(is_superuser=True).order_by("pk").first()
        password = secrets.token_urlsafe(12)
        if admin is None:
            return users.create_superuser(username=username, email="", password=password), password
        if reset_password:
            admin.set_password(password)
            admin.save(update_fields=["password"])
            return admin, password
        return admin, None


def frame(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line:<{width}} |" for line in lines), rule])


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(OSError), urllib.request.urlopen(url, timeout=2):  # noqa: S310
            return
        time.sleep(0.5)
    raise CommandError(f"{url} did not answer within {seconds:g} s")
