"""Records of inventory syncs, and the lease that keeps two syncs of a cloud from overlapping."""

from django.db import models
from django.db.models import Max
from django.template.defaultfilters import floatformat
from django.utils import timezone

from .choices import SyncKind, SyncStatus
from .retry import SYNC_MAX_ATTEMPTS


class SyncRunQuerySet(models.QuerySet):
    def latest_of_each_kind(self):
        """The latest of these runs of each kind of each cloud. A run skipped because another
        held the cloud says nothing about whether syncing works, so it does not count."""
        runs = self.exclude(status=SyncStatus.SKIPPED).order_by()
        latest = runs.values("cloud", "kind").annotate(latest=Max("id")).values("latest")
        return self.filter(id__in=latest)


class SyncRun(models.Model):
    cloud = models.ForeignKey("inventory.Cloud", on_delete=models.CASCADE, related_name="sync_runs")
    kind = models.CharField(max_length=16, choices=SyncKind)
    status = models.CharField(max_length=16, choices=SyncStatus, default=SyncStatus.QUEUED)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    changes_since = models.DateTimeField(
        null=True, blank=True, help_text="For an incremental sync: the time it asked changes from."
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    due_at = models.DateTimeField(
        default=timezone.now,
        help_text=(
            "Until when a message in the broker answers for it (its retry's countdown, say): "
            "beat sends it again once this is RESEND_SECONDS past."
        ),
    )

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at"]
        indexes = [
            models.Index(fields=["cloud", "kind", "-queued_at"], name="clouds_syncrun_latest"),
            # The unfinished runs beat looks at for lost ones; finished ones are most of the table.
            models.Index(
                fields=["due_at"],
                condition=models.Q(status__in=["queued", "running"]),
                name="clouds_syncrun_unfinished",
            ),
        ]

    def __str__(self):
        return f"{self.kind} sync of {self.cloud} ({self.status})"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def seconds(self) -> str:
        """The duration as the admin shows it everywhere: "0.05 s"."""
        if self.duration is None:
            return ""
        return f"{floatformat(self.duration.total_seconds(), -2)} s"

    @property
    def retrying(self) -> bool:
        """Queued again after a try that failed: waiting for its retry."""
        return self.status == SyncStatus.QUEUED and self.attempts > 0

    @property
    def shown_status(self) -> str:
        if self.retrying:
            return f"retrying (attempt {self.attempts + 1} of {SYNC_MAX_ATTEMPTS})"
        return self.status


class CloudLock(models.Model):
    """Who syncs a cloud now, until when. An expired lease is free: a crashed worker's lapses."""

    cloud = models.OneToOneField(
        "inventory.Cloud", on_delete=models.CASCADE, primary_key=True, related_name="lock"
    )
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"lock of {self.cloud}"
