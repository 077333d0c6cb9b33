"""Demo people: one of each role Faro serves, with the logins the README lists."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from kb.models import CustomerGroup

DEMO_PASSWORD = "faro-demo"

# username, full name, staff groups, customer group slug, superuser
DEMO_USERS = [
    ("admin", "Ada Admin", [], None, True),
    ("editor", "Elena Editor", ["Editors"], None, False),
    ("moderator", "Mario Moderator", ["Moderators"], None, False),
    ("agent", "Sofía Support", ["Support agents"], None, False),
    ("customer", "Carla Customer", [], "enterprise", False),
    ("partner", "Pablo Partner", [], "partners", False),
]

CUSTOMER_GROUPS = [("Enterprise customers", "enterprise"), ("Partners", "partners")]


def ensure_support_group() -> Group:
    """Support agents reach the Wagtail admin (to read requests, later issues) but edit nothing."""
    group, _ = Group.objects.get_or_create(name="Support agents")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return group


def ensure_translators() -> None:
    """Editors and moderators may start translations (Wagtail's "Translate" action)."""
    permission = Permission.objects.get(
        content_type__app_label="simple_translation", codename="submit_translation"
    )
    for name in ("Editors", "Moderators"):
        Group.objects.get(name=name).permissions.add(permission)


def seed_users() -> dict[str, object]:
    user_model = get_user_model()
    groups = {
        slug: CustomerGroup.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for name, slug in CUSTOMER_GROUPS
    }
    ensure_support_group()
    ensure_translators()
    users = {}
    for username, full_name, staff_groups, customer_group, superuser in DEMO_USERS:
        first, last = full_name.split(" ", 1)
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@faro.example",
                "first_name": first,
                "last_name": last,
                "is_staff": bool(staff_groups) or superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for name in staff_groups:
            user.groups.add(Group.objects.get(name=name))
        if customer_group:
            groups[customer_group].members.add(user)
        users[username] = user
    return users
