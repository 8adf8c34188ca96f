"""What the retention job pruned, kept as totals so that /metrics' counters never go down."""

from django.db import models


class PrunedSyncRuns(models.Model):
    """The finished sync runs pruned so far of one cloud, kind and outcome, counted as
    metrics.records counts the runs still kept: runs, timed runs, seconds and histogram
    buckets (`le_<bound>`: runs that took at most that many seconds)."""

    cloud = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    runs = models.BigIntegerField(default=0)
    timed = models.BigIntegerField(default=0)
    total = models.FloatField(default=0.0)
    buckets = models.JSONField(default=dict)
    last_end = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cloud", "kind", "status"], name="service_pruned_runs_unique"
            )
        ]

    def __str__(self):
        return f"{self.runs} pruned {self.kind} runs of {self.cloud} ({self.status})"


class PrunedActionItems(models.Model):
    """The finished action items pruned so far of one operation and outcome."""

    operation = models.CharField(max_length=32)
    status = models.CharField(max_length=16)
    items = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "status"], name="service_pruned_items_unique"
            )
        ]

    def __str__(self):
        return f"{self.items} pruned {self.operation} items ({self.status})"
