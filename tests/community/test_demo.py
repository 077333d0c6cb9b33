"""The demo community: both languages, solved and open threads, one held; re-running adds
nothing."""

from __future__ import annotations

from community import demo
from community.models import Question, Status
from kb.demo.users import seed_users


def test_seed_demo_threads(homes):
    seed_users()
    demo.seed(log=lambda _: None)
    count = Question.objects.count()
    demo.seed(log=lambda _: None)
    assert Question.objects.count() == count == len(demo.THREADS) + 1
    assert Question.objects.in_locale("es").exists() and Question.objects.in_locale("en").exists()
    assert Question.objects.solved().count() >= 3
    assert Question.objects.filter(accepted_answer__isnull=True, status=Status.VISIBLE).exists()
    assert Question.objects.get(status=Status.HELD).author.username == "newcomer"
