from django.core.management.base import BaseCommand, CommandError

from apps.clouds import drivers
from apps.clouds.drivers import Driver
from apps.clouds.drivers.base import DriverError
from apps.inventory.models import Cloud


class Command(BaseCommand):
    help = "Log in to a cloud and print what its credentials can see, per region."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        cloud = Cloud.objects.filter(name=name).first()
        if cloud is None:
            raise CommandError(f"No cloud named {name!r}")
        driver = drivers.for_cloud(cloud)
        try:
            regions = driver.regions()
            self.stdout.write(f"{cloud.name}: logged in at {cloud.auth_url}; regions: {regions}")
            for region in regions:
                self.stdout.write(f"  {region}: {self._counts(driver, region)}")
        except DriverError as exc:
            raise CommandError(f"{cloud.name}: {exc}") from None

    def _counts(self, driver: Driver, region: str) -> str:
        counts = {
            "instances": sum(1 for _ in driver.servers(region)),
            "flavors": len(driver.flavors(region)),
            "images": len(driver.images(region)),
            "networks": len(driver.networks(region)),
            "keypairs": len(driver.keypairs(region)),
        }
        return ", ".join(f"{count} {what}" for what, count in counts.items())
