"""The newsroom's roles as groups with permissions (README, "Roles").

The role map is frozen here, as data migrations should be: a later change to
the roles is a new migration, so every database ends up with the same groups.
Users get a role by joining a group (and need "staff status" to log in).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ("add", "change", "delete", "view")

CONTRIBUTOR = {
    # Their own drafts, with the pieces a draft is made of...
    "articles": {
        "article": ALL,
        "articleauthor": ALL,
        "articleperson": ALL,
        "articlecharacter": ALL,
        "articleshow": ALL,
        # ...and read access to what a draft refers to (for the pickers).
        "section": ("view",),
        "author": ("view",),
    },
    "people": {"person": ("view",), "character": ("view",)},
    "shows": {"show": ("view",)},
    "taggit": {"tag": ("view",)},
}

# Editors: every permission on content and the talent database, which includes
# articles.publish_article and articles.edit_any_article.
EDITOR_APPS = ("articles", "people", "shows", "taggit")

ADMIN = {
    "auth": {"user": ALL, "group": ALL, "permission": ("view",)},
    "articles": {"auditentry": ("view",)},
}


def ensure_permissions(apps):
    # Permissions are normally made after migrate finishes; a fresh database
    # needs them now, so make them for every app the roles refer to.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permissions_for(Permission, spec):
    wanted = []
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    return wanted


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    roles = {
        "Contributor": permissions_for(Permission, CONTRIBUTOR),
        "Editor": list(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)),
        "Admin": permissions_for(Permission, ADMIN),
    }
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Contributor", "Editor", "Admin"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0002_initial"),
        ("shows", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
