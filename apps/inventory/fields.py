"""Model fields of the inventory."""

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
