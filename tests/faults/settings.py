"""Settings of the processes the fault suite starts (web, worker, beat): the test settings with
the broker's timeouts shortened, so that what a fault loses comes back within seconds. The
rest (RESEND_SECONDS, ACTIONS_ATTEMPT_SECONDS, ...) comes from their environment."""

from tests.settings import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
if CELERY_BROKER_URL.startswith("redis://"):  # noqa: F405 (RabbitMQ redelivers at once)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": 8,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
