"""Signal wiring for the articles app (connected in ArticlesConfig.ready)."""

from django.db.models.signals import post_delete, post_save

from articles import navigation, websub


def connect():
    from articles.models import Article, Correction, Section

    post_save.connect(navigation.forget_nav_sections, sender=Section, dispatch_uid="nav-save")
    post_delete.connect(navigation.forget_nav_sections, sender=Section, dispatch_uid="nav-del")
    post_save.connect(websub.story_saved, sender=Article, dispatch_uid="websub-story")
    post_save.connect(websub.correction_saved, sender=Correction, dispatch_uid="websub-fix")
