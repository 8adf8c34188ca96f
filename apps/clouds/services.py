"""What the admin, the commands and the demo ask of the clouds app."""

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.inventory.access import access_of
from apps.inventory.models import Cloud, Project

from . import clouds_yaml
from .models import SyncRun
from .tasks import run_in_order


def queue_syncs(cloud, kinds: list[str]) -> list[SyncRun]:
    """Records sync runs and hands them to a worker, to run one after the other."""
    runs = [SyncRun.objects.create(cloud=cloud, kind=kind) for kind in kinds]
    run_in_order(runs)
    return runs


def syncable(clouds, user):
    """The clouds of `clouds` the user may ask a sync of: a sync reads the whole cloud, so only
    an operator of every project of it may."""
    operable = access_of(user).operable_project_ids
    if operable is None:
        return clouds
    return clouds.exclude(projects__in=Project.objects.exclude(id__in=operable))


def import_clouds(text: str) -> list[tuple]:
    """Creates or updates one Cloud per clouds.yaml entry; returns [(cloud, created)].

    Every entry is validated before any is saved.
    """
    clouds = []
    for name, fields in clouds_yaml.parse(text).items():
        cloud = Cloud.objects.filter(name=name).first() or Cloud(name=name)
        created = cloud._state.adding
        for field, value in fields.items():
            setattr(cloud, field, value)
        try:
            cloud.full_clean()
        except ValidationError as exc:
            raise clouds_yaml.CloudsYamlError(f"Cloud {name!r}: {_sentence(exc)}") from None
        clouds.append((cloud, created))
    with transaction.atomic():
        for cloud, _ in clouds:
            cloud.save()
    return clouds


def _sentence(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
