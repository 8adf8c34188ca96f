import logging
import sys
from contextlib import contextmanager, suppress

from django.core.management.base import BaseCommand, CommandError

from apps.clouds.choices import SyncKind
from apps.clouds.drivers.base import DriverError
from apps.clouds.models import SyncRun
from apps.clouds.sync.runner import log as runner_log
from apps.clouds.sync.runner import run_sync
from apps.inventory.models import Cloud

BAR = 30


class Command(BaseCommand):
    help = "Sync the inventory now, in the foreground: changed instances, or everything (--full)."

    def add_arguments(self, parser):
        parser.add_argument("--cloud", help="Only this cloud (default: every enabled cloud).")
        parser.add_argument("--full", action="store_true", help="Catalog and all instances.")

    def handle(self, *args, cloud=None, full=False, **options):
        clouds = Cloud.objects.filter(name=cloud) if cloud else Cloud.objects.to_sync()
        if cloud and not clouds:
            raise CommandError(f"No cloud named {cloud!r}")
        if cloud and clouds[0].seeded:
            raise CommandError(f"Cloud {cloud!r} {Cloud.SEEDED}")
        kinds = [SyncKind.CATALOG, SyncKind.INSTANCES] if full else [SyncKind.CHANGES]
        with _quiet(runner_log):  # each run's summary says it once
            runs = [run for c in clouds for run in self._sync(c, kinds)]
        failed = [run for run in runs if run.status == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} sync(s) failed")

    def _sync(self, cloud, kinds):
        for kind in kinds:
            run = SyncRun.objects.create(cloud=cloud, kind=kind)
            with suppress(DriverError):  # recorded on the run, reported below
                run_sync(run, progress=self._progress(f"{cloud.name} {kind}"))
            self._summary(run)
            yield run
            if run.status == "failed":
                return

    def _progress(self, label: str):
        def show(stage: str, done: int, total: int | None):
            if not sys.stderr.isatty():
                return
            filled = BAR * done // total if total else 0
            bar = "#" * filled + "." * (BAR - filled)
            sys.stderr.write(f"\r{label} [{bar}] {done}/{total or '?'} {stage[:40]:<40}")
            sys.stderr.flush()

        return show

    def _summary(self, run: SyncRun):
        if sys.stderr.isatty():
            sys.stderr.write("\r" + " " * 100 + "\r")
        seconds = run.duration.total_seconds() if run.duration else 0
        line = (
            f"{run.cloud.name}: {run.kind} sync {run.status} in {seconds:.1f} s: "
            f"{run.created} created, {run.updated} updated, {run.deleted} deleted, "
            f"{run.unchanged} unchanged"
        )
        self.stdout.write(line + (f" ({run.error})" if run.error else ""))


@contextmanager
def _quiet(logger: logging.Logger):
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
