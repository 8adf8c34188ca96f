from django.db import migrations

from apps.query import schema

TABLES = ("events",)


def create(apps, schema_editor):
    schema.create_views(schema_editor.connection, TABLES)


def drop(apps, schema_editor):
    schema.drop_views(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("query", "0002_unreachable_instances"), ("history", "0001_events")]

    operations = [migrations.RunPython(create, drop)]
