"""Granting and revoking access from the command line (the admin edits Grant rows directly)."""

from django.contrib.auth import get_user_model

from .models import Cloud, Grant, Project


class GrantError(ValueError):
    pass


def target_of(project: str | None, cloud: str | None) -> dict:
    """{"project": ...} or {"cloud": ...} for a project or cloud name."""
    if bool(project) == bool(cloud):
        raise GrantError("Give exactly one of --project and --cloud")
    model, name = (Project, project) if project else (Cloud, cloud)
    found = model.objects.filter(name=name).first()
    if found is None:
        raise GrantError(f"No {model._meta.verbose_name} named {name!r}")
    return {model._meta.model_name: found}


def user_named(username: str, *, create: bool = False):
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is None and create:
        user = users.create_user(username=username)  # no password: it logs in with a token
    if user is None:
        raise GrantError(f"No user named {username!r} (add --create to create it)")
    return user


def grant(user, role: str, target: dict) -> tuple[Grant, bool]:
    """Gives `user` the role on the target, replacing the role of an earlier grant."""
    return Grant.objects.update_or_create(user=user, **target, defaults={"role": role})


def revoke(user, target: dict) -> int:
    deleted, _ = Grant.objects.filter(user=user, **target).delete()
    return deleted
