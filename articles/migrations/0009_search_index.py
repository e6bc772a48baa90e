"""The story search index (FTS5 on SQLite; tsvector, unaccent and pg_trgm on
PostgreSQL): see articles/search/schema.py. Stories already published are
indexed here, so an upgraded site can search at once."""

from django.db import migrations

from articles.search import schema


def index_existing(apps, schema_editor):
    from articles.search.index import rebuild

    if apps.get_model("articles", "Article").objects.exists():
        rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_featured_image_and_body_images"),
        ("people", "0003_person_headshot"),
        ("shows", "0002_show_poster"),
    ]

    operations = [
        migrations.RunPython(schema.migrate_forwards, schema.migrate_backwards),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
