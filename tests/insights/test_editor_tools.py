"""Issue 19: what an editor meets in Insights. Figures say exactly what they count, charts are
titled with axes and dates, answered gaps are set apart, and every search correction can be seen
and undone by the Editors group (permissions granted by data migrations)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission

from insights.aggregate import aggregate_range
from insights.metrics import DEFINITIONS, KPIS
from insights.models import TuningLog
from search.models import PromotedResult, Synonym
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def aggregated(handmade, day):
    aggregate_range(day, day)
    return handmade


def test_editors_group_may_see_change_and_delete_synonyms_promotions_and_tips():
    editors = set(
        Group.objects.get(name="Editors").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    for model in ("synonym", "promotedresult"):
        for action in ("view", "change", "delete", "add"):
            assert ("search", f"{action}_{model}") in editors
    for action in ("view", "change", "delete", "add"):
        assert ("guidance", f"{action}_tip") in editors
    assert ("guidance", "publish_tip") not in editors  # moderators publish, as with articles
    moderators = Group.objects.get(name="Moderators").permissions
    assert moderators.filter(codename="publish_tip").exists()


def test_editor_opens_the_synonym_list_and_the_tips_list(client, analyst, help_centre):
    client.force_login(analyst)
    Synonym.objects.create(locale="en", terms="invoice, bill")
    listing = client.get("/admin/snippets/search/synonym/")
    assert listing.status_code == 200 and b"invoice, bill" in listing.content
    assert client.get("/admin/snippets/search/promotedresult/").status_code == 200
    assert client.get("/admin/snippets/guidance/tip/").status_code == 200


def test_overview_labels_say_what_they_count_and_link_a_definition(client, aggregated, analyst):
    client.force_login(analyst)
    page = client.get("/admin/insights/?days=7").content.decode()
    for key, label, _unit in KPIS:
        assert f'data-kpi-label="{key}">{label}<' in page
        assert DEFINITIONS[key].replace("'", "&#x27;") in page
    # The two figures that disagreed before count different things, and the labels say so.
    assert "search sessions then asked for a person" in page
    assert "support requests received (all channels)" in page
    assert "A subset of &#x27;Support requests received&#x27;" in page


def test_every_chart_has_a_title_axes_dates_and_a_text_alternative(client, aggregated, analyst):
    client.force_login(analyst)
    for section in ("overview", "search", "content", "backlog"):
        page = client.get(f"/admin/insights/{section}/?days=7&locale=en").content.decode()
        figures = re.findall(r'<figure class="insights-figure".*?</figure>', page, re.S)
        assert figures, section
        for figure in figures:
            assert re.search(r"<figcaption><strong>[^<]+</strong>", figure)
            assert re.search(r'class="insights-range">\w{3} \d+ \u2013 \w{3} \d+, \d{4}<', figure)
            assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="[^"]+-t [^"]+-d"', figure)
            assert "<title id=" in figure and "<desc id=" in figure
            assert "The table below lists every" in figure
    overview = client.get("/admin/insights/?days=7").content.decode()
    assert ">search sessions</text>" in overview and ">day</text>" in overview  # axis titles
    search = client.get("/admin/insights/search/?days=7&locale=en").content.decode()
    assert ">searches with no result</text>" in search


def test_long_labels_wrap_instead_of_being_cut():
    from datetime import date

    from insights.charts import bars

    label = "how do i move every project from my old workspace into the new one"
    svg = str(bars([(label, 3)], "Long", "searches", date(2026, 1, 1), date(2026, 1, 28)))
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert shown == label


def test_a_gap_an_article_already_answers_is_set_apart(aggregated, day):
    from insights.gaps import analyse
    from insights.metrics import Period
    from insights.models import GapSignal

    title = aggregated.public.title.lower()
    GapSignal.objects.create(
        day=day, locale="en", kind="not_helpful", text=title, count=4, customers=4
    )
    found = analyse(Period(day, day))
    assert title not in [g.label for g in found.open]
    answered = next(g for g in found.answered if g.label == title)
    assert answered.answered_by.title == aggregated.public.title
    assert "wire transfer" in [g.label for g in found.open]  # nothing answers it


def test_pin_an_article_found_by_title_then_unpin_it(client, aggregated, analyst):
    client.force_login(analyst)
    article = aggregated.public
    word = article.title.split()[-1]
    fragment = client.get(
        "/admin/insights/tune/",
        {"q": "wire transfer", "locale": "en", "find": word, "fragment": "articles"},
    ).content.decode()
    assert article.title in fragment and 'value="pin"' in fragment
    client.post(
        "/admin/insights/tune/",
        {"q": "wire transfer", "locale": "en", "action": "pin", "id": article.pk},
    )
    promo = PromotedResult.objects.get(query="wire transfer", object_id=str(article.pk))
    page = client.get("/admin/insights/tune/?q=wire+transfer&locale=en").content.decode()
    assert "Pinned:" in page and 'value="unpin"' in page
    client.post(
        "/admin/insights/tune/",
        {"q": "wire transfer", "locale": "en", "action": "unpin", "id": promo.pk},
    )
    assert not PromotedResult.objects.exists()
    assert TuningLog.objects.filter(kind="unpin", user=analyst).exists()


def test_pin_refuses_an_article_in_another_language(client, aggregated, analyst):
    client.force_login(analyst)
    spanish = aggregated.public.get_translations().first()
    if spanish is None:
        pytest.skip("the shared help centre has no Spanish translation of this article")
    client.post(
        "/admin/insights/tune/",
        {"q": "wire transfer", "locale": "en", "action": "pin", "id": spanish.pk},
    )
    assert not PromotedResult.objects.exists()


def test_synonym_added_from_insights_is_listed_and_undone(client, aggregated, analyst):
    client.force_login(analyst)
    base = {"q": "wire transfer", "locale": "en"}
    client.post("/admin/insights/tune/", {**base, "action": "synonym", "terms": "bank transfer"})
    synonym = Synonym.objects.get()
    page = client.get("/admin/insights/tune/?q=wire+transfer&locale=en").content.decode()
    assert "wire transfer, bank transfer" in page and 'value="unsynonym"' in page
    assert 'placeholder="other words for' in page  # no other phrasing clustered with it
    client.post("/admin/insights/tune/", {**base, "action": "unsynonym", "id": synonym.pk})
    assert not Synonym.objects.exists()
    assert TuningLog.objects.filter(kind="unsynonym", detail=synonym.terms).exists()


def test_undo_needs_the_delete_permission(client, aggregated):
    tuner = make_user("tuner", staff=True)
    group = Group.objects.create(name="Tuners")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_insights"),
        Permission.objects.get(codename="tune_search"),
    )
    tuner.groups.add(group)
    synonym = Synonym.objects.create(locale="en", terms="wire transfer, bank transfer")
    client.force_login(tuner)
    page = client.get("/admin/insights/tune/?q=wire+transfer&locale=en").content.decode()
    assert 'value="unsynonym"' not in page
    client.post(
        "/admin/insights/tune/",
        {"q": "wire transfer", "locale": "en", "action": "unsynonym", "id": synonym.pk},
    )
    assert Synonym.objects.filter(pk=synonym.pk).exists()


def test_synonym_placeholder_comes_from_phrasings_clustered_with_the_query(
    client, aggregated, analyst, day
):
    from insights.models import GapSignal

    for text in ("dark mode", "night theme", "enable dark theme"):
        GapSignal.objects.create(
            day=day, locale="en", kind="zero_results", text=text, count=3, customers=3
        )
    client.force_login(analyst)
    page = client.get("/admin/insights/tune/?q=dark+mode&locale=en").content.decode()
    placeholder = re.search(r'id="synonym-terms" name="terms" placeholder="([^"]*)"', page)[1]
    assert set(placeholder.split(", ")) == {"night theme", "enable dark theme"}
