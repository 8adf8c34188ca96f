import time

from django.core.management.base import BaseCommand, CommandError

from apps.inventory.seed import seed_inventory


class Command(BaseCommand):
    help = "Fill the inventory with a realistic, deterministic data set (for development)."

    def add_arguments(self, parser):
        parser.add_argument("--instances", type=int, default=1000)
        parser.add_argument("--clouds", type=int, default=2)
        parser.add_argument("--regions", type=int, default=2, help="Projects per cloud.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, instances, clouds, regions, seed, **options):
        if instances < 0 or clouds < 1 or regions < 1:
            raise CommandError("--instances must be 0 or more, --clouds and --regions 1 or more")
        started = time.perf_counter()
        try:
            summary = seed_inventory(instances, clouds=clouds, regions=regions, seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {summary.clouds} clouds, {summary.projects} projects, {summary.images} images "
            f"and {summary.instances} instances in {elapsed:.1f} s"
        )
