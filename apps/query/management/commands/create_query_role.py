from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from apps.query.schema import ROLE, grant_query_role, role_exists


class Command(BaseCommand):
    help = (
        f"Creates the PostgreSQL role {ROLE}, which may read the query views and nothing else; "
        "POST /query then runs every statement as that role. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("Roles are PostgreSQL's; on SQLite queries run with query_only")
        try:
            self._create(connection)
        except DatabaseError as exc:
            raise CommandError(
                f"{exc}. Run this as the service's own database user, with the CREATEROLE "
                "privilege (ALTER ROLE <user> CREATEROLE)."
            ) from None
        self.stdout.write(f"Role {ROLE} can read the query views; queries now run as it.")

    def _create(self, connection):
        with connection.cursor() as cursor:
            if not role_exists(connection):
                cursor.execute(f'CREATE ROLE "{ROLE}" NOLOGIN')
            # Membership lets the service's own user switch to the role for each query.
            cursor.execute(f'GRANT "{ROLE}" TO CURRENT_USER')
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
            cursor.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{ROLE}"')
        grant_query_role(connection)
