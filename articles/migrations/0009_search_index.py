"""The story search index (FTS5 on SQLite; tsvector, unaccent and pg_trgm on
PostgreSQL): see articles/search/schema.py. Stories already published are
indexed here, so an upgraded site can search at once."""

from django.db import migrations

from articles.search import schema
from common.text import join_initials


def names_without_dots(apps, schema_editor):
    """Entities saved before this migration: add "chicago pd" beside "chicago p.d."
    (what NamedEntity.refresh_search_names now writes)."""
    for label in ("people.Person", "people.Character", "shows.Show"):
        model = apps.get_model(label)
        for row in model.objects.filter(search_names__contains=".").only("search_names"):
            keys = row.search_names.split("\n")
            keys += [join_initials(key) for key in keys if "." in key]
            row.search_names = "\n".join(dict.fromkeys(keys))
            row.save(update_fields=["search_names"])


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
        migrations.RunPython(names_without_dots, migrations.RunPython.noop),
        migrations.RunPython(schema.migrate_forwards, schema.migrate_backwards),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
