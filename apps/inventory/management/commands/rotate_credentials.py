from django.core.management.base import BaseCommand
from django.db import transaction

from apps.inventory.fields import EncryptedTextField
from apps.inventory.models import Cloud


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored cloud secret with the first of CREDENTIAL_KEYS. Put a new key "
        "first, keep the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args, **options):
        secrets = [f.name for f in Cloud._meta.fields if isinstance(f, EncryptedTextField)]
        with transaction.atomic():
            clouds = list(Cloud.objects.select_for_update())
            for cloud in clouds:
                cloud.save(update_fields=secrets)  # decrypted on load, encrypted anew on save
        self.stdout.write(f"Re-encrypted the secrets of {len(clouds)} cloud(s).")
