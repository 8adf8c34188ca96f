from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.clouds.clouds_yaml import CloudsYamlError
from apps.clouds.services import import_clouds


class Command(BaseCommand):
    help = "Create or update one cloud per entry of an openstacksdk clouds.yaml."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            text = path.read_text()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            imported = import_clouds(text)
        except CloudsYamlError as exc:
            raise CommandError(f"{path}: {exc}") from None
        for cloud, created in imported:
            regions = ", ".join(cloud.regions) or "every region in the catalog"
            verb = "Created" if created else "Updated"
            self.stdout.write(f"{verb} cloud {cloud.name} ({cloud.auth_url}; {regions})")
