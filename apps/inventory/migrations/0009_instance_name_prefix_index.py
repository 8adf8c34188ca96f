"""An index of instance names for a search by their beginning (`name LIKE 'web-%'`): the name
index serves neither PostgreSQL, whose collation sorts otherwise than LIKE compares, nor
SQLite, whose LIKE ignores case. Each database's own kind, so it is written as SQL."""

from django.db import migrations

INDEX = "inv_instance_name_prefix"
CREATE = {
    "postgresql": f"CREATE INDEX {INDEX} ON inventory_instance (name varchar_pattern_ops)",
    "sqlite": f"CREATE INDEX {INDEX} ON inventory_instance (name COLLATE NOCASE)",
}


def create(apps, schema_editor):
    schema_editor.execute(CREATE[schema_editor.connection.vendor])


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("inventory", "0008_instance_observed_at")]

    operations = [migrations.RunPython(create, drop)]
