"""Settings of the worker processes the tests start: the test settings, with the messages a
killed worker had not acknowledged given back within seconds (Redis' default is an hour), and
its tries taken to be cut short by then."""

from tests.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
ACTIONS_ATTEMPT_SECONDS = 2
