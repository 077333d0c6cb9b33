"""The demo seed: every kind of tip in both languages, published, safe to re-run."""

import pytest

from guidance import demo
from guidance.models import GuidedApp, PageArticle, Tip

pytestmark = pytest.mark.django_db


def test_seed_is_complete_and_idempotent(help_centre):
    demo.seed(log=lambda _m: None)
    demo.seed(log=lambda _m: None)
    app = GuidedApp.objects.get(public_key=demo.DEMO_KEY)
    assert app.origin_allowed("http://127.0.0.1:8000") and app.origin_allowed(
        "http://localhost:8000"
    )
    for lang in ("en", "es"):
        kinds = set(
            Tip.objects.filter(app=app, locale=lang, live=True).values_list("kind", flat=True)
        )
        assert kinds == {k.value for k in Tip.Kind}
    assert Tip.objects.filter(app=app).count() == 16
    # Every tour step says something; offers are tied to the element and say what they do.
    tour = Tip.objects.get(app=app, name="Tour (en)")
    assert all(step.value["body"].source and step.value["selector"] for step in tour.steps)
    offers = Tip.objects.filter(app=app, locale="en", trigger=Tip.Trigger.FRUSTRATION)
    assert sorted(offers.values_list("selector", flat=True)) == ["#broken", "#new-export"]
    assert all(len(t.link_label.split()) >= 3 for t in offers)
    assert Tip.objects.get(app=app, name="Banner (en)").link_article_id == help_centre.public.pk
    assert PageArticle.objects.filter(app=app).count() == 1  # only change-plan exists here
