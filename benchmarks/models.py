"""Benchmark-only model, installed by ``benchmarks.bench_settings`` and nowhere else.

``BenchSection`` is a proxy of ``search.SearchDocument`` (no table of its own) that Wagtail's stock
search (``modelsearch``'s database backend, the Wagtail 8 default on PostgreSQL) can index, so the
stock backend and Faro's engine are measured on exactly the same rows.
"""

from wagtail.search import index

from search.models import SearchDocument


class BenchSection(index.Indexed, SearchDocument):
    # What a Wagtail page indexes by default (title boosted), plus the section's own text.
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("heading"),
        index.SearchField("body"),
        index.FilterField("index_name"),
        index.FilterField("locale"),
        index.FilterField("audience"),
        index.FilterField("source"),
    ]

    class Meta:
        proxy = True
        app_label = "benchmarks"
