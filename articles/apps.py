from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from articles import freshness, signals
        from articles.mentions.adapter import connect_signals
        from articles.mentions.linking import link_after_save
        from articles.roles import sync_roles
        from articles.search import index as search_index

        # After each app's permissions are made (auth connects first), so new
        # models reach the roles and a flushed database gets its groups back.
        post_migrate.connect(sync_roles, dispatch_uid="articles-sync-roles")
        signals.connect()
        freshness.connect()
        post_migrate.connect(freshness.after_migrate, sender=self, dispatch_uid="freshness-deploy")
        connect_signals()
        post_save.connect(link_after_save, sender="articles.Article", dispatch_uid="link-mentions")
        # After link-mentions: the index reads the links that detection makes on commit.
        search_index.connect()
        post_migrate.connect(search_schema, sender=self, dispatch_uid="search-schema")


def search_schema(sender, using="default", **kwargs) -> None:
    """Put back any search trigger a table rebuild dropped (articles/search/schema.py).
    SQLite only: it rebuilds a table to alter it, PostgreSQL alters in place (and
    refuses ALTER TABLE beside pending constraint checks in the same transaction)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from articles.search import schema

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if ("articles", "0009_search_index") in MigrationRecorder(connection).applied_migrations():
        schema.apply(connection)
