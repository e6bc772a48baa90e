from django.apps import AppConfig
from django.db import models
from django.db.models.signals import pre_save

from common.text import strip_controls

# Apps whose text reaches readers, feeds and sitemaps.
CONTENT_APPS = {"articles", "people", "shows", "taggit", "images"}


def strip_control_characters(sender, instance, raw=False, **kwargs):
    """Every text field of content models loses invisible control characters on
    save — whichever way it came in (admin, importer, script, API)."""
    if raw or sender._meta.app_label not in CONTENT_APPS:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, strip_controls(value))


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared helpers"

    def ready(self):
        pre_save.connect(strip_control_characters, dispatch_uid="strip-control-characters")
