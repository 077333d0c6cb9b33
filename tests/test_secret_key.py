"""Dev and demo installs get their own random SECRET_KEY (no key written in the source), so
a demo left reachable cannot have its privacy links or cookies forged by anyone who read Faro."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from config.secret_key import install_secret_key

ROOT = Path(__file__).resolve().parent.parent


def test_a_fresh_folder_gets_a_private_random_key_that_is_reused(tmp_path):
    first = install_secret_key(tmp_path / "a")
    assert len(first) >= 50
    mode = stat.S_IMODE(os.stat(tmp_path / "a" / "secret_key").st_mode)
    assert mode == 0o600
    assert install_secret_key(tmp_path / "a") == first
    assert install_secret_key(tmp_path / "b") != first
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["secret_key"]


def dev_secret_key(data_dir: Path, **env: str) -> str:
    """SECRET_KEY as `manage.py` (dev settings) sees it, in a fresh process."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                   "FARO_DATA_DIR": str(data_dir), "DATABASE_URL": "postgres://u@127.0.0.1:9/x",
                   **env}  # fmt: skip
    environment.pop("SECRET_KEY", None) if "SECRET_KEY" not in env else None
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_dev_settings_use_the_install_key_and_the_environment_wins(tmp_path):
    first = dev_secret_key(tmp_path)
    assert first == (tmp_path / "secret_key").read_text().strip()
    assert "insecure" not in first
    assert dev_secret_key(tmp_path) == first  # the second start reuses it
    assert dev_secret_key(tmp_path / "other") != first
    assert dev_secret_key(tmp_path, SECRET_KEY="x" * 40) == "x" * 40
