"""Community fixtures: an index page per locale under the shared help centre, and people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from community.actions import Actor, ask_question, post_answer
from community.models import CommunityIndexPage, MemberProfile
from kb.models import CategoryPage, HelpCentrePage
from tests.factories import CategoryPageFactory, HelpCentrePageFactory, make_user, translate


@dataclass
class Community:
    en: CommunityIndexPage
    es: CommunityIndexPage


def make_community(help_centre, locales) -> Community:
    en = CommunityIndexPage(title="Community", slug="community", intro="Ask other customers.")
    help_centre.home.add_child(instance=en)
    en.save_revision().publish()
    es = translate(en, locales["es"], title="Comunidad", slug="comunidad")
    return Community(en=CommunityIndexPage.objects.get(pk=en.pk), es=es.specific)


@dataclass
class Homes:
    home: HelpCentrePage
    home_es: HelpCentrePage
    category: CategoryPage


@pytest.fixture
def homes(locales) -> Homes:
    """The smallest help centre a community needs (faster than the shared ``help_centre``)."""
    root = Page.get_first_root_node()
    home = HelpCentrePageFactory(parent=root, slug="help", title="Help Centre")
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    home_es = translate(home, locales["es"], title="Centro de ayuda", slug="ayuda")
    category = CategoryPageFactory(parent=home, title="Billing", slug="billing")
    return Homes(home, home_es, category)


@pytest.fixture
def community(homes, locales) -> Community:
    return make_community(homes, locales)


def established(username: str):
    """A member past the new-member review (earned some reputation)."""
    user = make_user(username)
    MemberProfile.objects.create(user=user, reputation=10)
    return user


@pytest.fixture
def member(db):
    return established("mia")


@pytest.fixture
def other_member(db):
    return established("otto")


@pytest.fixture
def newcomer(db):
    return make_user("nina")


@pytest.fixture
def moderator(db):
    user = make_user("moe", staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def actor(user) -> Actor:
    return Actor(user=user, ip_hash=f"net-{user.pk}")


@pytest.fixture
def thread(community, member, other_member):
    """An answered thread: member asked, other_member answered."""
    question = ask_question(
        community.en,
        actor(member),
        "How do I export timesheets to CSV?",
        "I need the hours of last month in a spreadsheet for payroll.",
        ["export"],
    )
    answer = post_answer(
        question, actor(other_member), "Open **Reports**, pick the month and press Export CSV."
    )
    return question, answer
