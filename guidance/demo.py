"""Demo guidance for ``manage.py seed_demo``: the Plano web app (served at /demo-host/) with tips
of every kind in English and Spanish. Safe to re-run: existing tips (by name) are left alone."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings

from kb.models import ArticlePage

from .models import GuidedApp, PageArticle, Tip

DEMO_APP_NAME = "Plano web app (demo)"
DEMO_KEY = "pk_demo_plano"
DEMO_SECRET = "sk_demo_plano_not_secret"  # demo only: real apps get a random secret
ORIGINS = "http://localhost:8000\nhttp://127.0.0.1:8000"


def demo_origins() -> str:
    """The usual local origins plus the one the demo is served on (``make demo PORT=…`` sets
    ``FARO_BASE_URL``), so the host page's snippet is allowed wherever the demo runs."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    served = f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""
    origins = ORIGINS.split("\n")
    return "\n".join(origins + ([served] if served and served not in origins else []))


TEXT = {
    "en": {
        "tooltip": ("Exports are here", "<p>Download your time entries as CSV or PDF.</p>"),
        "banner": ("Upgrade with one click", "<p>Compare plans and switch any time.</p>"),
        "modal": ("New: saved reports", "<p>Save a report's filters and share it.</p>"),
        "checklist": ("Get started", "<p>Three steps to a working workspace.</p>"),
        "checks": ["Create a project", "Invite your team", "Track your first hour"],
        "tour": ("Welcome to Plano", ["Your dashboard", "Export your data", "Invite people"]),
        "tour_body": "<p>Take a quick look around.</p>",
        "frustration": ("Is sync not working?", "<p>Most sync problems fix themselves.</p>"),
        "pro": ("Pro tip for admins", "<p>As a Pro admin you can set approval rules.</p>"),
        "search": "sync",
    },
    "es": {
        "tooltip": ("Las exportaciones están aquí", "<p>Descarga tus horas en CSV o PDF.</p>"),
        "banner": ("Cambia de plan con un clic", "<p>Compara planes y cambia cuando quieras.</p>"),
        "modal": ("Novedad: informes guardados", "<p>Guarda los filtros de un informe.</p>"),
        "checklist": ("Primeros pasos", "<p>Tres pasos para empezar.</p>"),
        "checks": ["Crea un proyecto", "Invita a tu equipo", "Registra tu primera hora"],
        "tour": ("Bienvenido a Plano", ["Tu panel", "Exporta tus datos", "Invita a personas"]),
        "tour_body": "<p>Un vistazo rápido.</p>",
        "frustration": (
            "¿No funciona la sincronización?",
            "<p>La mayoría de los problemas se resuelven solos.</p>",
        ),
        "pro": ("Consejo Pro para administradores", "<p>Puedes fijar reglas de aprobación.</p>"),
        "search": "sincronizar",
    },
}


def _article(slug: str) -> ArticlePage | None:
    return ArticlePage.objects.filter(slug=slug, locale__language_code="en").first()


def tips_for(lang: str) -> list[dict]:
    t = TEXT[lang]
    steps = [
        {"title": title, "body": "", "selector": sel}
        for title, sel in zip(
            t["tour"][1], ["#page-title", "#new-export", "#invite-form"], strict=True
        )
    ]
    return [
        {"kind": "tooltip", "selector": "#new-export", "url_patterns": "/demo-host/*"},
        {
            "kind": "banner",
            "url_patterns": "/demo-host/billing/*",
            "link_article": _article("change-plan"),
            "reshow_on_article_change": True,
        },
        {"kind": "modal", "url_patterns": "/demo-host/reports/*", "trigger": "delay"},
        {
            "kind": "checklist",
            "url_patterns": "/demo-host/",
            "steps": [("step", {"title": c, "body": "", "selector": ""}) for c in t["checks"]],
        },
        {
            "kind": "tour",
            "url_patterns": "/demo-host/",
            "priority": 5,
            "frequency": "once",
            "steps": [("step", s) for s in steps],
            "body": t["tour_body"],
        },
        {
            "kind": "frustration",
            "trigger": "frustration",
            "signal": "rage_click",
            "link_search": t["search"],
        },
        {
            "kind": "pro",
            "url_patterns": "/demo-host/reports/*",
            "audience_rules": "plan = pro\nrole in admin,owner",
            "restricted": True,
        },
    ]


def seed(log: Callable[[str], None]) -> None:
    app, created = GuidedApp.objects.get_or_create(
        public_key=DEMO_KEY,
        defaults={"name": DEMO_APP_NAME, "secret": DEMO_SECRET},
    )
    origins = demo_origins()
    if app.allowed_origins != origins:
        app.allowed_origins = origins
        app.save(update_fields=["allowed_origins"])
    for lang in ("en", "es"):
        for spec in tips_for(lang):
            label = spec.pop("kind")
            kind = {"frustration": "modal", "pro": "banner"}.get(label, label)
            name = f"{label.capitalize()} ({lang})"
            if Tip.objects.filter(app=app, name=name).exists():
                continue
            title, body = TEXT[lang][label][0], TEXT[lang][label][1]
            if label == "tour":
                body = spec.pop("body")
            if label == "checklist":
                body = TEXT[lang]["checklist"][1]
            spec.setdefault("delay_seconds", 1 if spec.get("trigger") == "delay" else 0)
            tip = Tip(app=app, name=name, kind=kind, title=title, body=body, locale=lang, **spec)
            tip.save()
            tip.save_revision().publish()
    for pattern, slug in (
        ("/demo-host/billing/*", "change-plan"),
        ("/demo-host/billing/*", "failed-payments"),
        ("/demo-host/*", "invite-your-team"),
    ):
        article = _article(slug)
        if article and not PageArticle.objects.filter(
            app=app, url_pattern=pattern, article=article
        ):
            PageArticle.objects.create(app=app, url_pattern=pattern, article=article)
    log(
        f"Guidance: demo app {app.public_key} ({'created' if created else 'kept'}), "
        f"{app.tips.count()} tips; host page at /demo-host/"
    )
