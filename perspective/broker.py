"""kombu's Redis transport, made to survive a Redis that goes away (CELERY_BROKER_TRANSPORT).

When the connection drops, the worker's consumer first `collect()`s the connection, which
forgets the transport's settings (`transport.client = None`), and closes it; a channel closed
meanwhile forgets its transport (`channel.connection = None`). Whatever then still needs Redis
through such a channel asks kombu for a new Redis client, which kombu builds from the forgotten
settings: putting the channel's unacknowledged messages back in their queue as it closes
(`QoS.restore_unacked`), or acknowledging a task that ended during the outage (`QoS.ack`). The
result is `AttributeError: 'NoneType' object has no attribute 'hostname'` (or `'client'`),
which Celery takes for an unrecoverable error: the worker stops (kombu 5.7.0; seen on most
Redis restarts with tasks running).

Here such a channel answers with a connection error instead, which kombu and Celery expect
from a broker that went away: the close goes on, the acknowledgement is logged as failed. The
messages stay in Redis's unacked set and come back after the visibility timeout, or, when
Redis lost them, the database's sweeps send their work again (apps/operations/tasks.py,
apps/clouds/schedule.py); a message that comes twice does nothing twice.
"""

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("The connection to the broker was closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
