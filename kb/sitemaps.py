"""A sitemap that covers every locale's help centre, not just the site's default-language tree."""

from __future__ import annotations

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class HelpCentreSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        in_any_locale = Q()
        for root in site.root_page.get_translations(inclusive=True):
            in_any_locale |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(in_any_locale)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
