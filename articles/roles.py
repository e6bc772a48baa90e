"""The newsroom's roles as groups with permissions, kept current.

Migration ``0005_roles`` created the groups with the role map as it stood then
(frozen, as data migrations should be). Models added since — and models added
later — must reach the roles too, and a database flushed by the test runner
must get its groups back, so ``sync_roles`` runs after every ``migrate`` (and
``flush``): it creates missing groups and ADDS missing permissions. It never
takes a permission away, so a role an administrator widened by hand stays so.
"""

from django.contrib.auth.models import Group, Permission

ALL = ("add", "change", "delete", "view")

# Contributors write their own drafts, and may look up what a draft refers to.
CONTRIBUTOR = {
    "articles": {
        "article": ALL,
        "articleauthor": ALL,
        "articleperson": ALL,
        "articlecharacter": ALL,
        "articleshow": ALL,
        "mentionrejection": ALL,
        "section": ("view",),
        "author": ("view",),
    },
    "people": {"person": ("view",), "character": ("view",)},
    "shows": {"show": ("view",)},
    "taggit": {"tag": ("view",)},
    # The media library: pick a featured image or a figure for their drafts, and upload
    # new pictures (checked like every upload); changing or deleting one is for editors.
    "images": {"image": ("add", "view")},
}
# Editors: every permission on content and the talent database.
EDITOR_APPS = ("articles", "people", "shows", "taggit", "images")
ADMIN = {
    "auth": {"user": ALL, "group": ALL, "permission": ("view",)},
    "articles": {"auditentry": ("view",)},
}


def _permissions(spec) -> list[Permission]:
    codenames = {
        (app, f"{action}_{model}")
        for app, models in spec.items()
        for model, actions in models.items()
        for action in actions
    }
    return [
        p
        for p in Permission.objects.filter(content_type__app_label__in=spec).select_related(
            "content_type"
        )
        if (p.content_type.app_label, p.codename) in codenames
    ]


def sync_roles(**kwargs) -> None:
    roles = {
        "Contributor": _permissions(CONTRIBUTOR),
        "Editor": list(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)),
        "Admin": _permissions(ADMIN),
    }
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)
