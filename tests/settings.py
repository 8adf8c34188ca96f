"""Settings of the test suite: the project's own, with test-only secrets and an in-memory broker.

DATABASE_URL and CELERY_BROKER_URL from the environment still apply, so the same suite runs
on SQLite and on PostgreSQL with Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-that-is-long-enough-for-django-checks")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from perspective.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Production hashes static file names at collectstatic; the tests never run it.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
