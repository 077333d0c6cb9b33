"""Search stays sealed (issue 18): it imports none of the apps around it, and what it needs from
them comes through its registries: each source's audience filter, facets and popularity, the
"talk to a person" step (support), the snippet's <mark> rendering (frontend)."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from search import next_steps, snippets, sources
from search.backends.base import Audience
from search.engine import SearchRequest, search
from search.indexing import index_sections, refresh_vocabulary
from search.models import PromotedResult
from search.sources import SearchSource, Section
from tests.factories import make_user

ROOT = Path(settings.BASE_DIR)


def test_search_imports_none_of_the_apps_around_it():
    """The import-linter contract in pyproject.toml (also `make lint`), so a violation fails the
    suite even where lint is skipped."""
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is a dev dependency"
    run = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout


class QuietSource(SearchSource):
    """A source that does not say who may see its restricted rows."""

    name = "quiet"
    label = "Quiet"


@pytest.fixture
def quiet_source(db, monkeypatch):
    monkeypatch.setitem(sources._registry, QuietSource.name, QuietSource())
    rows = [
        ("open", "Quiet public note", "public"),
        ("members", "Quiet members note", "customers"),
    ]
    for object_id, title, audience in rows:
        section = Section(
            section="", position=0, locale="en", title=title, heading="",
            body=f"{title}: the quiet zebra handbook.", url=f"/quiet/{object_id}/",
            audience=audience,
        )  # fmt: skip
        index_sections(QuietSource.name, object_id, [section])
    refresh_vocabulary()


def titles(user=None, query="quiet zebra handbook") -> set[str]:
    result = search(SearchRequest(query=query, locale="en", user=user, semantic_ratio=0.0))
    return {hit.title for hit in result.hits}


def test_a_source_without_an_audience_filter_shows_public_rows_only(quiet_source):
    """The safe default: nobody, staff included, sees its restricted rows."""
    assert QuietSource().audience(None) == Audience()
    for user in (None, make_user("c1"), make_user("s1", staff=True)):
        assert titles(user) == {"Quiet public note"}


def test_a_source_that_says_who_may_see_is_followed(quiet_source, monkeypatch):
    monkeypatch.setattr(
        QuietSource,
        "audience",
        lambda self, user: Audience(authenticated=bool(user and user.is_authenticated)),
    )
    assert titles() == {"Quiet public note"}
    assert titles(make_user("c2")) == {"Quiet public note", "Quiet members note"}


def test_registering_refuses_a_nameless_source_or_a_taken_name(monkeypatch):
    monkeypatch.setattr(sources, "_registry", dict(sources._registry))
    with pytest.raises(ValueError):
        sources.register(SearchSource())
    impostor = type("Impostor", (SearchSource,), {"name": "article"})()
    with pytest.raises(ValueError):
        sources.register(impostor)


def test_each_source_audience_applies_to_its_own_rows(help_centre, monkeypatch):
    """kb's groups do not open another source's group rows with the same group id."""
    member = make_user("m1", groups=[help_centre.enterprise])
    monkeypatch.setitem(sources._registry, QuietSource.name, QuietSource())
    section = Section(
        section="", position=0, locale="en", title="Quiet group note", heading="",
        body="Negotiated quiet pricing.", url="/quiet/g/", audience="groups",
        audience_groups=[help_centre.enterprise.pk],
    )  # fmt: skip
    index_sections(QuietSource.name, "g", [section])
    refresh_vocabulary()
    found = titles(member, "negotiated pricing")
    assert "Negotiated pricing" in found and "Quiet group note" not in found


def test_restricted_articles_never_reach_anonymous_visitors_after_the_move(client, help_centre):
    """The page (now frontend/search_views.py), the API, suggestions and a pin."""
    PromotedResult.objects.create(
        locale="en", query="pricing", source="article",
        object_id=str(help_centre.enterprise_only.pk),
    )  # fmt: skip
    page = client.get("/en/search/", {"q": "negotiated pricing"}).content.decode()
    api = client.get("/api/v1/search", {"q": "negotiated pricing", "locale": "en"}).json()
    suggest = client.get("/api/v1/search/suggest", {"q": "negotiated", "locale": "en"}).json()
    assert "Negotiated pricing" not in page
    assert all(hit["title"] != "Negotiated pricing" for hit in api["hits"])
    assert all(s["title"] != "Negotiated pricing" for s in suggest["suggestions"])
    client.force_login(make_user("m2", groups=[help_centre.enterprise]))
    page = client.get("/en/search/", {"q": "negotiated pricing"}).content.decode()
    assert "Negotiated pricing" in page and "Recommended" in page


def test_the_page_filters_are_the_sources_facets(client, help_centre):
    facets = sources.facet_choices("en")
    assert (help_centre.category.slug, help_centre.category.title) in facets["category"]
    page = client.get("/en/search/").content.decode()
    assert f'<option value="{help_centre.category.slug}"' in page


def test_support_registers_the_person_and_frontend_the_marks(help_centre):
    step = next_steps.human_step("es", "factura")
    assert step["type"] == "contact_human" and step["url"].startswith("/es/support/")
    assert next_steps.check_human_step() == []
    assert snippets.render("a \x02<b>\x03 c") == "a <mark>&lt;b&gt;</mark> c"


def test_without_registrations_search_stays_safe(monkeypatch):
    monkeypatch.setattr(snippets, "_formatters", [])
    monkeypatch.setattr(next_steps, "_human_steps", [])
    assert snippets.render("a \x02<b>\x03 c") == html.escape("a <b> c")
    assert next_steps.human_step("en", "x") is None
    assert [w.id for w in next_steps.check_human_step()] == ["search.W001"]


def test_editors_pin_any_indexed_object_in_the_snippet_admin(client, help_centre):
    """Snippets → Search → Promoted results: the object is chosen among what the index holds."""
    client.force_login(make_user("admin1", staff=True))
    user = get_user_model().objects.get(username="admin1")
    user.is_superuser = True
    user.save()
    form = client.get("/admin/snippets/search/promotedresult/add/").content.decode()
    value = f"article:{help_centre.public.pk}"
    assert f'value="{value}"' in form and "Change your plan (en, Article)" in form
    response = client.post(
        "/admin/snippets/search/promotedresult/add/",
        {"locale": "en", "query": "upgrade", "result": value, "sort_order": 0, "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    promo = PromotedResult.objects.get(query="upgrade")
    assert (promo.source, promo.object_id) == ("article", str(help_centre.public.pk))
    assert promo.title == "Change your plan" and str(promo) == "'upgrade' → Change your plan"
    edit = client.get(f"/admin/snippets/search/promotedresult/edit/{promo.pk}/").content.decode()
    assert f'<option value="{value}" selected>' in edit
    listing = client.get("/admin/snippets/search/promotedresult/").content.decode()
    assert "Change your plan" in listing


def test_existing_pins_keep_their_article_through_the_migration(help_centre):
    """0009: a pin's foreign key to an article becomes ("article", "<page id>"), and back."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("search", "0008_incremental_indexing")],
        [("search", "0009_promoted_result_by_source")],
    )
    with connection.cursor() as cursor:  # the fixture's deferred checks, before any ALTER
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before[0]).apps.get_model("search", "PromotedResult")
    old.objects.create(locale="en", query="plan", article_id=help_centre.public.pk, sort_order=2)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after[0]).apps.get_model("search", "PromotedResult")
    pin = new.objects.get(query="plan")
    assert (pin.source, pin.object_id, pin.sort_order) == ("article", str(help_centre.public.pk), 2)
