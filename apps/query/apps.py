from django.apps import AppConfig, apps
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate


class QueryConfig(AppConfig):
    name = "apps.query"
    label = "query"
    verbose_name = "Query"

    def ready(self):
        # Loads every database's backend now: a SQLite known to give wrong rows is refused
        # (perspective/sqlite/library.py) when Perspective starts, not at its first query.
        connections.all()
        connection_created.connect(_register_functions)
        # The views read the inventory's tables: out of the way while any app migrates them,
        # and made again (with the role's grants) from the catalog afterwards. Django sends
        # these signals only for apps with models: as the inventory's, once per migrate.
        inventory = apps.get_app_config("inventory")
        pre_migrate.connect(_drop_views, sender=inventory)
        post_migrate.connect(_create_views, sender=inventory)


def _register_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .sqlite_functions import register_sqlite_functions

        register_sqlite_functions(connection.connection)


def _drop_views(sender, using, **kwargs):
    from .schema import drop_views

    drop_views(connections[using])


def _create_views(sender, using, **kwargs):
    from .schema import create_views

    create_views(connections[using])
