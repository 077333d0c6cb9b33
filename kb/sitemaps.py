"""A sitemap that covers every locale's help centre, not just the site's default-language tree."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class HelpCentreSitemap(Sitemap):
    def items(self) -> list[Page]:
        """Live, unrestricted pages of every locale, each with its readable translations
        attached, so ``hreflang`` alternates cost no query per page."""
        site = self.get_wagtail_site()
        in_any_locale = Q()
        for root in site.root_page.get_translations(inclusive=True):
            in_any_locale |= Q(path__startswith=root.path)
        pages = list(
            Page.objects.filter(in_any_locale)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .select_related("locale")
            .specific()
        )
        readable = defaultdict(list)
        for page in pages:
            if getattr(page, "readable_by_anyone", lambda: True)():
                readable[page.translation_key].append(page)
        for page in pages:
            page.prefetched_translations = readable[page.translation_key]
        return pages

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict]:
        # Wagtail's version calls ``.iterator()``, which a prefetched list does not have.
        urls = [
            info
            for item in self.paginator.page(page).object_list
            for info in item.get_sitemap_urls(self.request)
        ]
        last_mods = {url.get("lastmod") for url in urls}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
