"""Shared fixtures: a small bilingual help centre on the real PostgreSQL test database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from wagtail.models import Locale, Page, Site

from kb.models import ArticlePage, Audience, CategoryPage, CustomerGroup, HelpCentrePage

from .factories import (
    ArticlePageFactory,
    CategoryPageFactory,
    HelpCentrePageFactory,
    make_user,
    translate,
)


@dataclass
class HelpCentre:
    home: HelpCentrePage
    home_es: HelpCentrePage
    category: CategoryPage
    category_es: CategoryPage
    public: ArticlePage
    public_es: ArticlePage
    customers_only: ArticlePage
    enterprise_only: ArticlePage
    enterprise: CustomerGroup


@pytest.fixture(scope="session", autouse=True)
def e5_model_folder():
    """Spanish's model folder (`manage.py convert_e5`, run by `make install`), made once here
    too if missing, so a fresh clone's tests find it."""
    from django.core.management import call_command

    call_command("convert_e5", "--if-missing")


@pytest.fixture
def locales(db) -> dict[str, Locale]:
    return {
        "en": Locale.objects.get_or_create(language_code="en")[0],
        "es": Locale.objects.get_or_create(language_code="es")[0],
    }


@pytest.fixture
def help_centre(locales) -> HelpCentre:
    """Home (en + es), one category, a public article with a Spanish translation, and two
    restricted articles: one for signed-in customers, one for the "enterprise" group only."""
    root = Page.get_first_root_node()
    home = HelpCentrePageFactory(parent=root, slug="help", title="Help Centre")
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    home_es = translate(home, locales["es"], title="Centro de ayuda", slug="ayuda")
    category = CategoryPageFactory(parent=home, title="Billing", slug="billing")
    category_es = translate(category, locales["es"], title="Facturación", slug="facturacion")
    public = ArticlePageFactory(
        parent=category, title="Change your plan", slug="change-plan", tags=["plans"]
    )
    public_es = translate(public, locales["es"], title="Cambia tu plan", slug="cambia-tu-plan")
    enterprise = CustomerGroup.objects.create(name="Enterprise", slug="enterprise")
    customers_only = ArticlePageFactory(
        parent=category, title="Download invoices", slug="invoices", audience=Audience.CUSTOMERS
    )
    enterprise_only = ArticlePageFactory(
        parent=category,
        title="Negotiated pricing",
        slug="negotiated-pricing",
        audience=Audience.GROUPS,
        audience_groups=[enterprise],
    )
    return HelpCentre(
        home,
        home_es,
        category,
        category_es,
        public,
        public_es,
        customers_only,
        enterprise_only,
        enterprise,
    )


@pytest.fixture
def customer(db):
    return make_user("casey")


@pytest.fixture
def enterprise_customer(help_centre):
    return make_user("erin", groups=[help_centre.enterprise])


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group

    user = make_user("edith", staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user
