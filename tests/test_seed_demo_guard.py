"""`seed_demo` creates accounts with a published password (`faro-demo`): it refuses to run
against production settings or with DEBUG off unless told `--force`, and says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_production_settings_are_refused_with_a_reason(settings):
    settings.FARO_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match=r"production.*--force"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="admin").exists()


def test_debug_off_is_refused(settings):
    settings.FARO_ENVIRONMENT = "dev"
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG.*--force"):
        call_command("seed_demo")


def test_a_settings_module_that_says_nothing_counts_as_production(settings):
    del settings.FARO_ENVIRONMENT
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")


def test_the_command_line_exits_non_zero_under_production_settings():
    """The real command, as an operator would type it, with the production settings module."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "p" * 40, "DATABASE_URL": "postgres://u@127.0.0.1:9/nowhere"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--skip-checks"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "production" in done.stderr and "--force" in done.stderr
    assert "Traceback" not in done.stderr
