from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from articles import signals
        from articles.mentions.adapter import connect_signals
        from articles.mentions.linking import link_after_save
        from articles.roles import sync_roles

        # After each app's permissions are made (auth connects first), so new
        # models reach the roles and a flushed database gets its groups back.
        post_migrate.connect(sync_roles, dispatch_uid="articles-sync-roles")
        signals.connect()
        connect_signals()
        post_save.connect(link_after_save, sender="articles.Article", dispatch_uid="link-mentions")
