"""The project's URLs plus ``/bench/wagtail-search?q=&locale=&limit=&operator=``: Wagtail's stock
database search over the same sections, answered as JSON (benchmark settings only).

``operator`` is Wagtail's own: ``and`` (its default: every word must match) or ``or`` (any word,
ranked; what Faro's keyword side does)."""

from django.http import JsonResponse
from django.urls import path
from wagtail.search.backends import get_search_backend

from config.urls import urlpatterns as project_urlpatterns

from .models import BenchSection


def wagtail_search(request):
    query = " ".join(request.GET.get("q", "").split())[:300]
    if not query:
        return JsonResponse({"error": "Type something to search for."}, status=400)
    locale = request.GET.get("locale", "en")
    try:
        limit = max(1, min(50, int(request.GET.get("limit", "10"))))
    except ValueError:
        return JsonResponse({"error": "limit must be a whole number."}, status=400)
    operator = request.GET.get("operator") or None
    if operator not in (None, "and", "or"):
        return JsonResponse({"error": "operator must be and or or."}, status=400)
    # Anonymous visitor: public rows of the default index in the asked language, as Faro's API.
    rows = BenchSection.objects.filter(index_name="default", locale=locale, audience="public")
    results = get_search_backend().search(query, rows, operator=operator)[:limit]
    hits = [
        {
            "type": doc.source,
            "id": doc.object_id,
            "title": doc.title,
            "url": doc.url,
            "section": doc.section,
            "heading": doc.heading,
            "summary": doc.summary,
        }
        for doc in results
    ]
    return JsonResponse({"query": query, "locale": locale, "hits": hits})


urlpatterns = [
    path("bench/wagtail-search", wagtail_search, name="bench-wagtail-search"),
    *project_urlpatterns,
]
