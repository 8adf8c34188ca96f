from django.core.management.base import BaseCommand, CommandError

from apps.inventory.grants import GrantError, revoke, target_of, user_named


class Command(BaseCommand):
    help = "Take back what a user was granted on a project or a whole cloud."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--project")
        parser.add_argument("--cloud")

    def handle(self, *args, username, project, cloud, **options):
        try:
            target = target_of(project, cloud)
            user = user_named(username)
        except GrantError as exc:
            raise CommandError(str(exc)) from None
        if not revoke(user, target):
            raise CommandError(f"{username} had no grant on {next(iter(target.values()))}")
        self.stdout.write(f"Revoked the grant of {user.username} on {next(iter(target.values()))}")
