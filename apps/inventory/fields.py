"""Model fields of the inventory."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from . import crypto


class _Sealed:
    """A secret as the database holds it, until code reads it."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def __eq__(self, other):
        return isinstance(other, _Sealed) and other.token == self.token

    def __hash__(self):
        return hash(self.token)

    def __repr__(self):
        return "<sealed secret>"


class _DecryptedOnRead(DeferredAttribute):
    """A data descriptor (it has __set__), so that every read of the attribute passes here."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if isinstance(value, _Sealed):
            value = crypto.decrypt(value.token)
            instance.__dict__[self.field.attname] = value
        return value


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet); Python code sees the plain text, the database never does.

    A secret is decrypted when it is read, not when its row is loaded: listing instances with
    their cloud costs no decryption, and a secret no configured key can decrypt fails only the
    call that needs it. The empty string stays empty, so "no secret" needs no key to read.
    """

    descriptor_class = _DecryptedOnRead

    def from_db_value(self, value, expression, connection):
        return _Sealed(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        """None: no filter compares a secret (a `startswith` or `regex` answered row by row
        would read it out character by character)."""
        return None

    def get_transform(self, lookup_name):
        return None


# Secrets outside the inventory: a user's password hash and an API token.
_OTHER_SECRETS = {("auth", "user", "password"), ("authtoken", "token", "key")}


def is_secret(field) -> bool:
    if isinstance(field, EncryptedTextField):
        return True
    opts = field.model._meta.concrete_model._meta
    return (opts.app_label, opts.model_name, field.name) in _OTHER_SECRETS


def touches_secret(model, lookup: str) -> bool:
    """Whether a lookup path (`project__cloud__password__regex`) reaches a secret field."""
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if is_secret(field):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False
