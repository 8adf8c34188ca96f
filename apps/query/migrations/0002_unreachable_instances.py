from django.db import migrations

from apps.query import schema

TABLES = ("unreachable_instances",)


def create(apps, schema_editor):
    schema.create_views(schema_editor.connection, TABLES)


def drop(apps, schema_editor):
    schema.drop_views(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("query", "0001_views"), ("inventory", "0004_instance_unreachable_since")]

    operations = [migrations.RunPython(create, drop)]
