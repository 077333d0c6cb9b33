"""Editors and moderators write in-product tips (Snippets → Guidance → Tips); only moderators
publish them, as with articles. Before this an editor opening Tips got "Sorry, you do not have
permission".

Permissions are normally created after all migrations ran; create them here so the grant works
on a fresh database too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDIT = ["add_tip", "change_tip", "delete_tip", "view_tip"]
GRANTS = {"Editors": EDIT, "Moderators": [*EDIT, "publish_tip"]}


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="guidance", codename__in=codenames)


def _publish_permission(apps) -> None:
    """Wagtail adds "publish" for draft-state snippets after migrations; make it now."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    tip, _ = ContentType.objects.get_or_create(app_label="guidance", model="tip")
    Permission.objects.get_or_create(
        content_type=tip, codename="publish_tip", defaults={"name": "Can publish tip"}
    )


def grant(apps, schema_editor):
    config = apps.get_app_config("guidance")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    _publish_permission(apps)
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*_permissions(apps, codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
