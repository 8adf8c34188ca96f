"""Model fields of the inventory."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted (Fernet); Python code sees the plain text, the database never does.

    The empty string stays empty, so "no secret" needs no key to read.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)
