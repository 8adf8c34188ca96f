"""Symmetric encryption of stored secrets (cloud passwords, application credential secrets)."""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class UndecryptableSecret(Exception):
    """A stored secret none of the configured keys can decrypt."""


@cache
def _fernet() -> MultiFernet:
    keys = settings.CREDENTIAL_KEYS or [_key_from_secret_key()]
    return MultiFernet([Fernet(key) for key in keys])


def _key_from_secret_key() -> bytes:
    digest = hashlib.sha256(b"perspective-credentials:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableSecret("no configured credential key decrypts this secret") from exc
