import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Create a superuser with a random password, printed once, when there is none; "
        "print the API token of the first superuser."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        users = get_user_model().objects
        admin = users.filter(is_superuser=True).order_by("pk").first()
        if admin is None:
            password = secrets.token_urlsafe(12)
            admin = users.create_superuser(username=username, email="", password=password)
            self.stdout.write(
                self.style.SUCCESS(f"Created superuser {username!r} with password: {password}")
            )
        else:
            self.stdout.write(
                f"Superuser {admin.username!r} exists already; no new one was created."
            )
        token, _ = Token.objects.get_or_create(user=admin)
        self.stdout.write(f"API token of {admin.username}: {token.key}")
        self.stdout.write(
            f'  curl -H "Authorization: Token {token.key}" http://127.0.0.1:8000/operations'
        )
