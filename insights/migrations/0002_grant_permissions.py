"""Editors and moderators (content editors, support leads) may open Insights and tune search.

Permissions are normally created after all migrations ran; create them here so the grant works
on a fresh database too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Moderators": ["view_insights", "tune_search"],
    "Editors": ["view_insights", "tune_search"],
}


def grant(apps, schema_editor):
    config = apps.get_app_config("insights")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="insights", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
