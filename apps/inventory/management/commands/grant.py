from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from apps.inventory.choices import Role
from apps.inventory.grants import GrantError, grant, target_of, user_named


class Command(BaseCommand):
    help = "Grant a user a role (viewer or operator) on a project or a whole cloud."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--project", help="A project's name, e.g. east_RegionOne.")
        parser.add_argument("--cloud", help="A cloud's name: every project of it.")
        parser.add_argument(
            "--create", action="store_true", help="Create the user (and print its API token)."
        )

    def handle(self, *args, username, role, project, cloud, create, **options):
        try:
            target = target_of(project, cloud)
            user = user_named(username, create=create)
        except GrantError as exc:
            raise CommandError(str(exc)) from None
        _, created = grant(user, role, target)
        what = next(iter(target.values()))
        verb = "Granted" if created else "Changed to"
        self.stdout.write(f"{verb} {role} of {what} for {user.username}")
        if create:
            token, _ = Token.objects.get_or_create(user=user)
            self.stdout.write(f"API token of {user.username}: {token.key}")
