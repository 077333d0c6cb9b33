"""Pages as a visitor meets them: home, category, article, and every body block rendering."""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from kb.blocks import video_embed_url
from kb.models import ArticlePage
from tests.factories import ArticlePageFactory, block


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_factory_creates_and_publishes_with_a_revision(help_centre):
    article = help_centre.public
    assert article.live
    assert article.revisions.count() == 1
    assert article.last_published_at is not None


def test_draft_changes_stay_private_until_published(client, help_centre):
    article = ArticlePage.objects.get(pk=help_centre.public.pk)
    article.title = "Change your plan (draft wording)"
    article.save_revision()
    assert "draft wording" not in client.get(article.url).content.decode()
    article.get_latest_revision().publish()
    assert "draft wording" in client.get(article.url).content.decode()


def test_unpublished_article_is_a_404(client, help_centre):
    help_centre.public.unpublish()
    assert client.get("/en/billing/change-plan/").status_code == 404


def test_home_lists_categories_and_popular_articles(client, help_centre):
    page = soup(client.get("/en/"))
    assert page.select_one("main h1").text == "Help Centre"
    assert "Billing" in [a.text.strip() for a in page.select(".card__title")]
    assert "Change your plan" in [a.text for a in page.select("#popular-title ~ ul a")]


def test_popular_articles_follow_recent_views(client, help_centre):
    for _ in range(3):
        client.get(help_centre.public.url)
    other = ArticlePageFactory(parent=help_centre.category, title="Rarely read")
    client.get(other.url)
    titles = [a.text for a in soup(client.get("/en/")).select("#popular-title ~ ul a")]
    assert titles.index("Change your plan") < titles.index("Rarely read")


def test_article_has_breadcrumbs_toc_and_landmarks(client, help_centre):
    page = soup(client.get(help_centre.public.url))
    crumbs = [li.text.strip() for li in page.select("nav.breadcrumbs li")]
    assert crumbs == ["Help Centre", "Billing", "Change your plan"]
    toc = page.select_one("aside.toc a")
    assert toc["href"] == "#before-you-start"
    assert page.find(id="before-you-start").name == "h2"
    assert page.find("main", id="main") and page.find("header") and page.find("footer")
    assert page.select_one("a.skip-link")["href"] == "#main"


def test_related_articles_are_editor_chosen_then_siblings(client, help_centre):
    from kb.models import ArticleRelatedLink

    sibling = ArticlePageFactory(parent=help_centre.category, title="Sibling article")
    chosen = ArticlePageFactory(parent=help_centre.category, title="Chosen article")
    ArticleRelatedLink.objects.create(page=help_centre.public, article=chosen)
    related = [a.text for a in soup(client.get(help_centre.public.url)).select(".related a")]
    assert related[0] == "Chosen article"
    assert "Sibling article" in related
    assert sibling.title in related and "Change your plan" not in related


@pytest.fixture
def every_block_article(help_centre):
    image = Image.objects.create(title="Screenshot", file=get_test_image_file())
    body = [
        block("heading", {"text": "Set up", "level": "h2"}),
        block("heading", {"text": "Set up", "level": "h3"}),
        block("paragraph", "<p>Plain <b>rich</b> text.</p>"),
        block(
            "steps",
            {
                "title": "Do this",
                "steps": [
                    block("item", {"text": "<p>Open settings</p>", "image": image.pk}),
                    block("item", {"text": "<p>Click save</p>", "image": None}),
                ],
            },
        ),
        block("callout", {"kind": "warning", "text": "<p>Careful now.</p>"}),
        block("code", {"language": "bash", "code": "echo '<b>not bold</b>'"}),
        block("image", {"image": image.pk, "alt": "The settings screen", "caption": "Settings"}),
        block(
            "video",
            {
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "title": "Tour",
                "transcript": "",
            },
        ),
        block("faq", {"question": "Can I undo it?", "answer": "<p>Yes, for 30 days.</p>"}),
    ]
    return ArticlePageFactory(
        parent=help_centre.category, title="Everything", body=json.dumps(body)
    )


def test_every_block_renders(client, every_block_article):
    page = soup(client.get(every_block_article.url))
    body = page.select_one(".article__body")
    assert [h["id"] for h in body.select("h2, h3")] == ["set-up", "set-up-2"]
    assert body.select_one(".rich-text b").text == "rich"
    assert [li.text.strip() for li in body.select(".steps__item")] == [
        "Open settings",
        "Click save",
    ]
    assert body.select_one(".steps__item img") is not None
    callout = body.select_one(".callout--warning")
    assert callout["role"] == "note" and "Careful now." in callout.text
    assert body.select_one("pre.code code").text == "echo '<b>not bold</b>'"  # escaped, not HTML
    assert body.select_one("figure.figure img")["alt"] == "The settings screen"
    video = body.select_one("[data-video]")
    assert video["data-embed"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert video.select_one("iframe") is None  # no third-party request until the visitor clicks
    faq = body.select_one("details.faq")
    assert faq.summary.text.strip() == "Can I undo it?" and "30 days" in faq.text


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://example.com/video.mp4", None),
        ("https://www.youtube.com/watch?v=<script>", None),
    ],
)
def test_video_links_become_privacy_friendly_embeds_or_are_refused(url, embed):
    assert video_embed_url(url) == embed


def test_video_block_rejects_unsupported_links():
    from wagtail.blocks import StructBlockValidationError

    from kb.blocks import VideoBlock

    with pytest.raises(StructBlockValidationError):
        VideoBlock().clean({"url": "https://example.com/a.mp4", "title": "x", "transcript": ""})
