"""A per-install ``SECRET_KEY`` for development and demos, kept in the data folder.

A key written in the source is the same on every machine: anyone could then sign privacy links
(export/delete a person's data), session cookies or visitor cookies for a demo left reachable.
So the first start writes a random key to ``<data folder>/secret_key`` (mode 0600, git-ignored
with the rest of ``.data/``) and later starts reuse it. ``SECRET_KEY`` in the environment wins.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"


def install_secret_key(folder: Path) -> str:
    """The key stored in ``folder``, created on first use. Safe when two processes start at once
    (``runserver`` and ``db_worker``): the key is written to a private temporary file and linked
    into place only if no key exists yet, so both end up reading the same one."""
    path = Path(folder) / FILE_NAME
    if path.exists():
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    try:
        os.link(temporary, path)  # fails if another process linked its key first
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key: delete it to make a new one.")
    return key
