"""Demo community for ``manage.py seed_demo``: a community page per language and believable
threads (solved, open, one held for review), written through the same actions members use.

Safe to re-run: pages and threads are found by slug and title, only what is missing is added.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from wagtail.models import Locale

from kb.demo.users import DEMO_PASSWORD
from kb.models import HelpCentrePage

from .actions import Actor, accept_answer, ask_question, post_answer, post_comment, vote
from .models import CommunityIndexPage, MemberProfile, Question

PAGES = {
    "en": ("Community", "community", "Questions and answers from other Plano customers."),
    "es": ("Comunidad", "comunidad", "Preguntas y respuestas de otros clientes de Plano."),
}

# (locale, asker, title, body, tags, [(answerer, body)], accepted answer index or None, votes)
THREADS = [
    (
        "en",
        "customer",
        "How do I export last month's timesheets to CSV?",
        "Our payroll team needs every person's hours for last month in a spreadsheet. "
        "Is there a way to export them without copying by hand?",
        ["reports", "export"],
        [
            (
                "partner",
                "Go to **Reports → Timesheets**, set the range to *Last month* and press "
                "**Export → CSV**. Each row is one person and day.",
            ),
            (
                "agent",
                "Adding to that: admins can schedule the same export to arrive by e-mail on "
                "the 1st of each month from *Reports → Scheduled exports*.",
            ),
        ],
        0,
        3,
    ),
    (
        "en",
        "partner",
        "Can I pause a project without losing its history?",
        "A client put our project on hold until September. I don't want it cluttering the "
        "board, but I need the tracked time kept.",
        ["projects"],
        [
            (
                "customer",
                "Archive it from the project's ⋯ menu. Archived projects keep all their "
                "time entries and you can restore them at any time.",
            )
        ],
        0,
        2,
    ),
    (
        "en",
        "customer",
        "Does the mobile app work offline?",
        "I often track time on trains without signal. Will the timer keep running and sync later?",
        ["mobile"],
        [],
        None,
        1,
    ),
    (
        "es",
        "customer",
        "¿Cómo cambio la moneda de mis facturas?",
        "Facturamos a clientes en México y necesitamos pesos en lugar de euros. ¿Dónde se "
        "cambia la moneda?",
        ["facturacion"],
        [
            (
                "agent",
                "Desde **Facturación → Ajustes → Moneda**. El cambio se aplica a las facturas "
                "nuevas; las ya emitidas conservan su moneda.",
            )
        ],
        0,
        2,
    ),
    (
        "es",
        "partner",
        "¿Se pueden importar proyectos desde una hoja de cálculo?",
        "Tenemos unos 40 proyectos en Excel y no queremos crearlos uno a uno.",
        ["proyectos"],
        [
            (
                "customer",
                "Yo lo hice exportando a CSV y usando *Proyectos → Importar*. Revisa que "
                "las columnas tengan los nombres de la plantilla.",
            )
        ],
        None,
        1,
    ),
]
HELD = (
    "en",
    "newcomer",
    "Best way to track time for several clients at once?",
    "I just joined and work for three clients in parallel. What is the recommended setup?",
)


def seed(log: Callable[[str], None] = print) -> None:
    pages = seed_pages()
    users = seed_members()
    created = 0
    # No e-mail from demo data; rate limits are real, so the demo stays within them.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for locale, asker, title, body, tags, answers, accepted, votes in THREADS:
            if Question.objects.filter(title=title).exists():
                continue
            question = ask_question(pages[locale], _actor(users[asker]), title, body, tags)
            posted = [post_answer(question, _actor(users[who]), text) for who, text in answers]
            if accepted is not None:
                accept_answer(question, users[asker], posted[accepted].pk)
            voters = [u for name, u in users.items() if name not in (asker, "newcomer")]
            for voter in voters[:votes]:
                vote(_actor(voter), question, 1)
                if posted and posted[0].author_id != voter.pk:
                    vote(_actor(voter), posted[0], 1)
            if locale == "en" and not answers:
                post_comment(question, _actor(users["partner"]), "Following: same question.")
            created += 1
        locale, asker, title, body = HELD
        if not Question.objects.filter(title=title).exists():
            ask_question(pages[locale], _actor(users[asker]), title, body)  # held: first post
            created += 1
    log(f"Community: {created} threads added ({Question.objects.count()} in total).")


def _actor(user) -> Actor:
    return Actor(user=user, ip_hash="demo")


def seed_pages() -> dict[str, CommunityIndexPage]:
    pages: dict[str, CommunityIndexPage] = {}
    source = None
    for code, (title, slug, intro) in PAGES.items():
        home = HelpCentrePage.objects.filter(locale__language_code=code).first()
        if home is None:
            continue
        page = CommunityIndexPage.objects.child_of(home).first()
        if page is None:
            if source is None:
                page = CommunityIndexPage(title=title, slug=slug, intro=intro)
                home.add_child(instance=page)
            else:
                page = source.copy_for_translation(Locale.objects.get(language_code=code))
                page.title, page.slug, page.intro = title, slug, intro
                page.save()
            page.save_revision().publish()
        pages[code] = page.specific
        source = source or page
    return pages


def seed_members() -> dict[str, object]:
    """Demo customers start with some reputation (so their posts are not held); the newcomer
    has none, so their first question waits for a moderator."""
    users = get_user_model().objects
    members = {name: users.get(username=name) for name in ("customer", "partner", "agent")}
    for user in (members["customer"], members["partner"]):
        MemberProfile.objects.get_or_create(user=user, defaults={"reputation": 20})
    newcomer, created = users.get_or_create(
        username="newcomer",
        defaults={"email": "newcomer@faro.example", "first_name": "Nora",
                  "last_name": "Newcomer"},
    )  # fmt: skip
    if created:
        newcomer.set_password(DEMO_PASSWORD)
        newcomer.save()
    members["newcomer"] = newcomer
    return members
