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
        "tour": (
            "Welcome to Plano",
            ["Your dashboard", "Export your data", "Invite people", "Your plan"],
        ),
        "tour_steps": [
            "<p>Everything your team tracked this week, at a glance.</p>",
            "<p>Download time entries as CSV or PDF for payroll or invoices.</p>",
            "<p>Add teammates by email. Next, open <b>Billing</b> at the top.</p>",
            "<p>Your plan and invoices live here; change plans any time.</p>",
        ],
        "tour_body": "<p>Take a quick look around.</p>",
        "banner_label": "Compare plans",
        "frustration": ("Is sync not working?", "<p>Most sync problems fix themselves.</p>"),
        "frustration_label": "Read how to fix sync",
        "export": (
            "Export not starting?",
            "<p>Large exports take up to a minute; we email you the file when it is ready.</p>",
        ),
        "export_label": "Read about exports",
        "export_search": "export",
        "pro": ("Pro tip for admins", "<p>As a Pro admin you can set approval rules.</p>"),
        "search": "sync",
    },
    "es": {
        "tooltip": ("Las exportaciones están aquí", "<p>Descarga tus horas en CSV o PDF.</p>"),
        "banner": ("Cambia de plan con un clic", "<p>Compara planes y cambia cuando quieras.</p>"),
        "modal": ("Novedad: informes guardados", "<p>Guarda los filtros de un informe.</p>"),
        "checklist": ("Primeros pasos", "<p>Tres pasos para empezar.</p>"),
        "checks": ["Crea un proyecto", "Invita a tu equipo", "Registra tu primera hora"],
        "tour": (
            "Bienvenido a Plano",
            ["Tu panel", "Exporta tus datos", "Invita a personas", "Tu plan"],
        ),
        "tour_steps": [
            "<p>Todo lo que tu equipo registró esta semana, de un vistazo.</p>",
            "<p>Descarga las horas en CSV o PDF para nóminas o facturas.</p>",
            "<p>Añade compañeros por email. Después, abre <b>Facturación</b> arriba.</p>",
            "<p>Tu plan y tus facturas están aquí; cambia de plan cuando quieras.</p>",
        ],
        "tour_body": "<p>Un vistazo rápido.</p>",
        "banner_label": "Comparar planes",
        "frustration": (
            "¿No funciona la sincronización?",
            "<p>La mayoría de los problemas se resuelven solos.</p>",
        ),
        "frustration_label": "Lee cómo arreglar la sincronización",
        "export": (
            "¿La exportación no empieza?",
            "<p>Las exportaciones grandes tardan hasta un minuto; te enviamos el archivo.</p>",
        ),
        "export_label": "Lee sobre exportaciones",
        "export_search": "exportar",
        "pro": ("Consejo Pro para administradores", "<p>Puedes fijar reglas de aprobación.</p>"),
        "search": "sincronizar",
    },
}


def _article(slug: str) -> ArticlePage | None:
    return ArticlePage.objects.filter(slug=slug, locale__language_code="en").first()


def tips_for(lang: str) -> list[dict]:
    t = TEXT[lang]
    # Every step says something and points at something; the last one is on the Billing page,
    # so the tour carries on there (the snippet waits for #plan-card).
    selectors = ["#page-title", "#new-export", "#invite-form", "#plan-card"]
    steps = [
        {"title": title, "body": body, "selector": sel}
        for title, body, sel in zip(t["tour"][1], t["tour_steps"], selectors, strict=True)
    ]
    return [
        {"kind": "tooltip", "selector": "#new-export", "url_patterns": "/demo-host/"},
        {
            "kind": "banner",
            "url_patterns": "/demo-host/billing/*",
            "link_article": _article("change-plan"),
            "link_label": t["banner_label"],
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
            "url_patterns": "/demo-host/\n/demo-host/billing/*",
            "priority": 5,
            "frequency": "once",
            "steps": [("step", s) for s in steps],
            "body": t["tour_body"],
        },
        {  # offered only where it fits: clicks piling up on "Sync now"
            "kind": "frustration",
            "trigger": "frustration",
            "signal": "rage_click",
            "selector": "#broken",
            "link_search": t["search"],
            "link_label": t["frustration_label"],
        },
        {  # … and on "New export"
            "kind": "export",
            "trigger": "frustration",
            "signal": "rage_click",
            "selector": "#new-export",
            "link_search": t["export_search"],
            "link_label": t["export_label"],
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
            kind = {"frustration": "modal", "export": "modal", "pro": "banner"}.get(label, label)
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
