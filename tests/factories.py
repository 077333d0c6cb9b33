"""Factories for help-centre pages. Pages are created under a parent and published, as an
editor would, so every test exercises Wagtail's real revision and publishing path."""

from __future__ import annotations

import json
import uuid

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Page

from kb.models import ArticlePage, CategoryPage, CustomerGroup, HelpCentrePage


def block(kind: str, value: object) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def simple_body(text: str = "Open Settings and choose a plan.") -> str:
    return json.dumps(
        [
            block("paragraph", f"<p>{text}</p>"),
            block("heading", {"text": "Before you start", "level": "h2"}),
            block("paragraph", "<p>You need the Owner role.</p>"),
        ]
    )


class PublishedPageFactory(wagtail_factories.PageFactory):
    """Create the page, then publish its first revision (the path editors take)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        tags = kwargs.pop("tags", None)
        groups = kwargs.pop("audience_groups", None)
        page = super()._create(model_class, *args, **kwargs)
        if tags:
            page.tags.set(tags)
        if groups:
            page.audience_groups.set(groups)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class HelpCentrePageFactory(PublishedPageFactory):
    title = "Help Centre"
    intro = "Answers for every question."

    class Meta:
        model = HelpCentrePage


class CategoryPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Category {n}")
    description = "A group of articles."

    class Meta:
        model = CategoryPage


class ArticlePageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "What this article explains."
    body = factory.LazyFunction(simple_body)

    class Meta:
        model = ArticlePage


def translate(page: Page, locale, **fields) -> Page:
    """Translate with Wagtail's own copy-for-translation, then publish like a translator."""
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def make_user(username: str, *, staff: bool = False, groups: list[CustomerGroup] = ()):
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, is_staff=staff, email=f"{username}@x.test"
    )
    for group in groups:
        group.members.add(user)
    return user
