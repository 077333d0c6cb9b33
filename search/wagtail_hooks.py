"""Editors tune search in the admin: synonyms and promoted results apply to the next query."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .forms import PromotedResultForm
from .models import PromotedResult, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("Synonyms")
    list_display = ["terms", "locale", "updated_at"]
    list_filter = ["locale"]
    panels = [FieldPanel("locale"), FieldPanel("terms")]


class PromotedResultViewSet(SnippetViewSet):
    model = PromotedResult
    icon = "pick"
    menu_label = _("Promoted results")
    list_display = ["query", "title", "locale", "sort_order"]
    list_filter = ["locale"]
    edit_handler = ObjectList(
        [
            FieldPanel("locale"),
            FieldPanel("query"),
            FieldPanel("result"),
            FieldPanel("sort_order"),
            FieldPanel("note"),
        ],
        base_form_class=PromotedResultForm,
    )


class SearchTuningGroup(SnippetViewSetGroup):
    menu_label = _("Search")
    menu_icon = "search"
    menu_order = 250
    items = (PromotedResultViewSet, SynonymViewSet)


register_snippet(SearchTuningGroup)
