"""`manage.py seed_demo`: a realistic bilingual help centre, safe to re-run."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils.html import strip_tags

from kb.models import ArticlePage, Audience, CategoryPage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeding takes ~10 s, so the module shares one seeded database (rolled back at the end)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def seeded_db(seeded, django_db_blocker):
    with django_db_blocker.unblock():
        yield


def words(article: ArticlePage) -> int:
    text = " ".join(strip_tags(str(block.render())) for block in article.body)
    return len(text.split())


def test_at_least_40_substantive_articles_per_locale_in_6_categories(seeded_db):
    for code in ("en", "es"):
        articles = ArticlePage.objects.live().filter(locale__language_code=code)
        assert articles.count() >= 40, code
        top_level = CategoryPage.objects.live().filter(locale__language_code=code, depth=3)
        assert top_level.count() >= 6
        counts = [words(a) for a in articles]
        assert sum(counts) / len(counts) >= 300, code
        with_steps = [a for a in articles if any(b.block_type == "steps" for b in a.body)]
        with_faq = [a for a in articles if any(b.block_type == "faq" for b in a.body)]
        assert len(with_steps) >= 30 and len(with_faq) >= 30


def test_every_article_has_its_translation(seeded_db):
    english = ArticlePage.objects.filter(locale__language_code="en")
    for article in english:
        translation = article.get_translation_or_none(
            article.locale.__class__.objects.get(language_code="es")
        )
        assert translation is not None and translation.live, article.title
        assert translation.title != article.title or article.title == "API"


def test_demo_has_restricted_articles_and_a_nested_category(seeded_db):
    assert ArticlePage.objects.filter(audience=Audience.GROUPS).exists()
    assert ArticlePage.objects.filter(audience=Audience.CUSTOMERS).exists()
    assert CategoryPage.objects.filter(depth=4).exists()


def test_demo_logins_from_the_readme_work(seeded_db):
    for username in ("admin", "editor", "moderator", "agent", "customer", "partner"):
        # The login throttle (django-axes) needs the request it is counting.
        request = RequestFactory().post("/en/accounts/login/")
        user = authenticate(request, username=username, password="faro-demo")
        assert user is not None, username


def test_demo_site_serves_both_languages(seeded_db, client):
    assert "Plano" in client.get("/en/").content.decode()
    assert "Centro de ayuda" in client.get("/es/").content.decode()


def test_second_run_creates_nothing(seeded_db, capsys):
    before = ArticlePage.objects.count()
    call_command("seed_demo")
    assert ArticlePage.objects.count() == before
    assert "0 pages created" in capsys.readouterr().out


def test_malformed_content_fails_with_a_reason(seeded_db, tmp_path, monkeypatch):
    from kb.demo import seed

    bad = tmp_path / "en" / "broken"
    bad.mkdir(parents=True)
    (bad / "_category.md").write_text("no front matter here\n")
    monkeypatch.setattr(seed, "CONTENT_DIR", tmp_path)
    with pytest.raises(CommandError, match="front-matter"):
        call_command("seed_demo")


def test_demo_editor_can_translate_and_the_agent_cannot_edit(seeded_db):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert users.get(username="editor").has_perm("simple_translation.submit_translation")
    agent = users.get(username="agent")
    assert agent.has_perm("wagtailadmin.access_admin")
    assert not agent.has_perm("wagtailcore.change_page")
