"""`runserver` that starts while the database is down: Django's stops at its migrations check.
Requests then answer 503 until the database is back (perspective.errors)."""

from django.db import DatabaseError
from whitenoise.runserver_nostatic.management.commands.runserver import Command as Runserver


class Command(Runserver):
    def check_migrations(self):
        try:
            super().check_migrations()
        except DatabaseError as exc:
            self.stderr.write(
                f"The database does not answer ({type(exc).__name__}); serving anyway: "
                "requests answer 503 until it does.\n"
            )
