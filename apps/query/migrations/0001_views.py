from django.db import migrations

from apps.query import schema

# The tables this migration exposes; a later migration exposing more names only its own.
TABLES = (
    "instances",
    "instance_metadata",
    "instance_networks",
    "images",
    "image_metadata",
    "project_images",
    "projects",
    "project_metadata",
    "project_quota",
    "flavors",
    "networks",
    "network_subnets",
    "keypairs",
    "availability_zones",
    "clouds",
)


def create(apps, schema_editor):
    schema.create_views(schema_editor.connection, TABLES)


def drop(apps, schema_editor):
    schema.drop_views(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
