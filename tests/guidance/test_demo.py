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
    assert Tip.objects.filter(app=app).count() == 14
    assert Tip.objects.get(app=app, name="Banner (en)").link_article_id == help_centre.public.pk
    assert PageArticle.objects.filter(app=app).count() == 1  # only change-plan exists here
