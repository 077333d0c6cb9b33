"""What the search engine stores: one row per indexed section, plus the query and click logs.

Keyword and vector data live in the same row so that permission filters, locale and content-type
filters apply identically to both retrievers, inside the SQL, before any limit.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Upper
from django.utils.functional import cached_property
from pgvector.django import HnswIndex, VectorField

DEFAULT_INDEX = "default"


class SearchDocumentQuerySet(models.QuerySet):
    def for_display(self) -> SearchDocumentQuerySet:
        """Without the retrieval columns: a result page needs titles and text, not the
        384-float vector (parsed row by row) or the full-text vector."""
        return self.defer("embedding", "embedding_xl", "search_vector")


class SearchDocument(models.Model):
    """A searchable section (an article section, later a community thread or a guidance tip)."""

    index_name = models.CharField(max_length=64, default=DEFAULT_INDEX)
    source = models.CharField(max_length=40)  # e.g. "article"
    object_id = models.CharField(max_length=64)  # the source object's key (a page id, a doc id)
    section = models.CharField(max_length=120, blank=True)  # anchor inside the object
    position = models.PositiveIntegerField(default=0)  # order of the section in its object
    locale = models.CharField(max_length=10, db_index=True)
    title = models.CharField(max_length=300)
    heading = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    # Filters
    category = models.CharField(max_length=120, blank=True)
    product_area = models.CharField(max_length=60, blank=True)
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    audience = models.CharField(max_length=20, default="public")
    audience_groups = ArrayField(models.IntegerField(), default=list, blank=True)
    # Ranking signals
    boost = models.FloatField(default=0.0)
    # The same object in other languages shares this key (Wagtail's translation_key): a visitor
    # is offered another language's version only of objects with none in their own.
    translation_key = models.CharField(max_length=64, blank=True, default="")
    # Retrieval data
    search_vector = SearchVectorField(null=True)
    embedding = VectorField(dimensions=384, null=True)
    embedding_model = models.CharField(max_length=200, blank=True)
    # One multilingual space for every language (search/crosslingual.py): a Spanish question
    # finds the English article nobody has translated yet. A copy of ``embedding`` where the
    # language's own model is the multilingual one.
    embedding_xl = VectorField(dimensions=384, null=True)
    embedding_xl_model = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["index_name", "source", "object_id", "section"],
                name="search_one_row_per_section",
            )
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="search_doc_fts"),
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="search_doc_title_trgm"),
            HnswIndex(
                name="search_doc_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            # Plus one graph per language in settings.LANGUAGES (search_doc_embedding_<code>,
            # partial on locale), made by search.languages.ensure_languages after every migrate:
            # a search walks only its own language's vectors. Through the shared graph, a query
            # whose nearest sections are in another language ("zapier", "change language to
            # Spanish") scanned 20,000 of them before finding its own, in 100-130 ms, and could
            # return fewer results than asked for (docs/search_speed.md). Locales outside
            # LANGUAGES use the shared graph.
            # Rows without a multilingual vector (none configured) are not in this graph.
            HnswIndex(
                name="search_doc_embedding_xl_hnsw",
                fields=["embedding_xl"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(
                fields=["index_name", "source", "translation_key"], name="search_doc_translation"
            ),
            models.Index(fields=["index_name", "locale", "source"]),
            models.Index(fields=["index_name", "source", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.object_id}#{self.section} ({self.locale})"


class SearchPosting(models.Model):
    """One word (lexeme) of one section, with its term frequency: the keyword index's postings.

    PostgreSQL's ``ts_rank`` knows neither how rare a word is nor the average section length,
    and ranking every section that contains a common word costs milliseconds per thousand rows.
    Postings give the keyword side true BM25 (term frequency saturation, length normalisation,
    IDF from ``SearchTerm``) and an index ordered by each word's ``impact`` (its BM25 term
    weight), so a search reads the strongest few hundred sections per word instead of every
    match. The document's filter columns are copied here (rewritten with the document) so that
    permissions and filters apply inside that index scan, before any limit.
    """

    pk = models.CompositePrimaryKey("document", "lexeme")
    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    lexeme = models.TextField()
    tf = models.FloatField()  # occurrences, weighted by field (title, heading, body)
    length = models.FloatField()  # the section's weighted length (same on all its rows)
    impact = models.FloatField()  # BM25 term weight without IDF, at the time of writing
    # Copies of the document's scope columns (see search.backends.sql.scope_clause)
    index_name = models.CharField(max_length=64)
    locale = models.CharField(max_length=10)
    source = models.CharField(max_length=40)
    category = models.CharField(max_length=120, blank=True)
    product_area = models.CharField(max_length=60, blank=True)
    audience = models.CharField(max_length=20)
    audience_groups = ArrayField(models.IntegerField(), default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["index_name", "locale", "lexeme", "-impact"],
                include=["document", "audience", "source", "tf", "length"],
                name="search_posting_impact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lexeme} in {self.document_id}"


class SearchTerm(models.Model):
    """The index's vocabulary with document frequencies.

    ``lexeme`` rows (stemmed, as the keyword index stores them) give each query term its inverse
    document frequency, so rare words weigh more than common ones (as in BM25); ``word`` rows
    (lower-cased surface forms) feed "did you mean" and word completion.
    """

    LEXEME = "lexeme"
    WORD = "word"
    TOTAL = "total"  # one row per locale: how many sections the index holds
    LENGTH = "length"  # one row per locale: the sections' total weighted length (for BM25)

    index_name = models.CharField(max_length=64, default=DEFAULT_INDEX)
    locale = models.CharField(max_length=10)
    kind = models.CharField(
        max_length=10, choices=[(LEXEME, LEXEME), (WORD, WORD), (TOTAL, TOTAL), (LENGTH, LENGTH)]
    )
    word = models.CharField(max_length=100)
    # Kept by delta in the transaction that writes the sections (search.indexing): plus one for
    # each section that gains the word, minus one for each that loses it; a row that reaches 0
    # is deleted. Not unsigned: a delta is applied in one UPSERT, whose proposed row may be
    # negative before it meets the row it updates.
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["index_name", "locale", "kind", "word"], name="search_term_unique"
            )
        ]
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="search_term_trgm")]

    def __str__(self) -> str:
        return self.word


class IndexQueue(models.Model):
    """Pages waiting to be (re)indexed: however often a page is published in a burst, it has one
    row here, and one task per index drains the queue (``search.tasks.drain_queue``).

    ``subtree``: its descendants' rows change too (the page's slug, path, title or privacy
    changed, or it moved); otherwise only the page itself is indexed. A worker claims rows for
    ``CLAIM`` (``claimed_until``) so that several workers share the queue; a row published
    again while claimed gets a new ``queued_at`` and is indexed once more."""

    index_name = models.CharField(max_length=64, default=DEFAULT_INDEX)
    page_id = models.IntegerField()
    subtree = models.BooleanField(default=False)
    queued_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["index_name", "page_id"], name="search_queue_one_row")
        ]

    def __str__(self) -> str:
        return f"page {self.page_id} ({self.index_name})"


class IndexQueueTask(models.Model):
    """Present while a task to drain an index's queue is enqueued and not yet started: a burst
    of publishes enqueues one task, not one per publish."""

    index_name = models.CharField(max_length=64, primary_key=True)
    enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.index_name


class Synonym(models.Model):
    """Words customers use interchangeably ("invoice, bill, receipt"), managed by editors.

    A query containing any of the terms also matches the others in keyword search.
    """

    locale = models.CharField(max_length=10, choices=[("en", "English"), ("es", "Español")])
    terms = models.CharField(
        max_length=500, help_text="Comma-separated words or phrases that mean the same thing."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["locale", "terms"]

    def __str__(self) -> str:
        return f"{self.locale}: {self.terms}"

    def term_list(self) -> list[str]:
        return [term.strip().lower() for term in self.terms.split(",") if term.strip()]


class PromotedResult(models.Model):
    """An editor's pick: for queries containing ``query``, show this result first.

    Any registered source's object, named as the index names it (``source``, ``object_id``):
    an article is ``("article", "<page id>")``. A pin whose object is no longer indexed (deleted,
    unpublished) shows nothing; the visitor's permissions apply as to any result."""

    locale = models.CharField(max_length=10, choices=[("en", "English"), ("es", "Español")])
    query = models.CharField(
        max_length=200, help_text="Shown when the search contains these words (any order)."
    )
    source = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    sort_order = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=200, blank=True, help_text="Why (for other editors).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["locale", "query", "sort_order"]
        indexes = [models.Index(fields=["locale", "query"], name="search_promoted_query")]

    def __str__(self) -> str:
        return f"{self.query!r} → {self.title or f'{self.source}:{self.object_id}'}"

    @cached_property
    def indexed(self) -> SearchDocument | None:
        """The pinned object's top row in the live index (its title and URL), if indexed."""
        return (
            SearchDocument.objects.for_display()
            .filter(
                index_name=DEFAULT_INDEX,
                source=self.source,
                object_id=self.object_id,
                section="",
            )
            .first()
        )

    @property
    def title(self) -> str:
        return self.indexed.title if self.indexed else ""

    @property
    def url(self) -> str:
        return self.indexed.url if self.indexed else ""


class SearchQueryLog(models.Model):
    """One search as a customer ran it. No IP address, no account: an anonymous session hash."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    session_hash = models.CharField(max_length=64, blank=True, db_index=True)
    query = models.CharField(max_length=500)
    locale = models.CharField(max_length=10)
    semantic_ratio = models.FloatField()
    filters = models.JSONField(default=dict, blank=True)
    result_count = models.PositiveIntegerField()
    top_results = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(null=True)
    answer_likely_missing = models.BooleanField(default=False)
    latency_ms = models.FloatField()
    channel = models.CharField(max_length=20, default="api")  # api, page, suggest, launcher
    # The answer card shown ({type, id, section}), and whether the visitor said it helped
    # (null: not said). Insights and a refit of the answerability model read these.
    answer = models.JSONField(null=True, blank=True)
    answer_helpful = models.BooleanField(null=True, blank=True)
    answer_feedback_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.query!r} ({self.result_count})"


class SearchClick(models.Model):
    query_log = models.ForeignKey(SearchQueryLog, on_delete=models.CASCADE, related_name="clicks")
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    section = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"click {self.source}:{self.object_id} at {self.position}"
