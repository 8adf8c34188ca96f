"""kombu's Redis transport, made to survive a Redis that goes away (CELERY_BROKER_TRANSPORT).

When the connection drops, the worker's consumer first `collect()`s the connection, which
forgets the transport's settings (`transport.client = None`) but may leave a channel open, and
then closes it. Closing the channel puts its unacknowledged messages back in their queue
(`QoS.restore_unacked`), for which kombu makes a new Redis client from the forgotten settings:
`AttributeError: 'NoneType' object has no attribute 'hostname'`, and the worker dies (kombu
5.7.0, seen on most Redis restarts).

Here the restore is left out when the transport has no settings any more: the messages stay in
Redis's unacked set and come back after the visibility timeout, or, if Redis lost them, the
database's sweeps send their work again (apps/operations/tasks.py, apps/clouds/schedule.py).
"""

import logging

from kombu.transport import redis

log = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        transport = self.channel.connection
        if client is None and (transport is None or transport.client is None):
            log.warning(
                "Connection to the broker lost: %d unacknowledged message(s) come back after "
                "the visibility timeout",
                len(self._delivered),
            )
            self._delivered.clear()
            return
        super().restore_unacked(client)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
