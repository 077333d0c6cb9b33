"""Asynchronous commits stay confined to counters and analytics (core.durability).

Real commits need ``transaction=True``; ``serialized_rollback`` puts back what migrations
created (content types, the Wagtail root), or a later transactional test cannot restore them.
"""

import pytest
from django.db import connection, transaction

from core import ratelimit
from core.durability import relaxed_commit
from core.models import RateLimitCounter


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_relaxed_commit_applies_to_its_own_transaction_only():
    with relaxed_commit():
        assert _synchronous_commit() == "off"
        assert ratelimit.hit("durability:test", "5/minute")
    # committed, and the next transaction is durable again
    assert RateLimitCounter.objects.filter(key="durability:test").count() == 1
    assert _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_relaxed_commit_never_relaxes_an_outer_transaction():
    """A support request's transaction that counts a rate limit must stay durable."""
    with transaction.atomic():
        with relaxed_commit():
            ratelimit.hit("durability:outer", "5/minute")
        assert _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_relaxed_commit_rolls_back_on_error():
    with pytest.raises(RuntimeError), relaxed_commit():
        ratelimit.hit("durability:error", "5/minute")
        raise RuntimeError("boom")
    assert not RateLimitCounter.objects.filter(key="durability:error").exists()
