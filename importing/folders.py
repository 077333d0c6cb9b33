"""The folder layout Markdown and HTML sources share: folders are categories, files articles.

A source either has one top-level folder per language (``en/``, ``es/``) or is all in one language
(``--locale``). Within a language, a folder's path is its identity: the same path under ``en/`` and
``es/`` is the same category in two languages, unless ``_category.md`` names a translation key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import PurePosixPath

import yaml
from django.conf import settings
from django.utils.text import slugify

from .files import SourceTree, UnsafeSource
from .items import Bundle, SourceArticle, SourceCategory

LANGUAGES = {code for code, _ in settings.LANGUAGES}
KEY_NAMESPACE = uuid.UUID("6f1c1d52-5b0c-4f3e-9a57-0c6f7d1f2a10")
GENERAL = "general"  # the category of files at a language's top level


class FrontMatterError(ValueError):
    """Front matter that is not a YAML mapping; the message says where."""


def translation_key(kind: str, key: str) -> str:
    """A stable Wagtail translation key for a source's own key: the same key in two languages
    links the two pages, and re-runs find the same key again."""
    return str(uuid.uuid5(KEY_NAMESPACE, f"{kind}:{key}"))


def split_front_matter(path: str, text: str) -> tuple[dict, list[str]]:
    """YAML front matter between ``---`` lines (parsed with ``yaml.safe_load``) and body lines."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, lines
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    except StopIteration as error:
        raise FrontMatterError(f"{path}: front matter is not closed with '---'") from error
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise FrontMatterError(f"{path}: front matter is not valid YAML ({error})") from error
    if not isinstance(meta, dict):
        raise FrontMatterError(f"{path}: front matter must be 'key: value' lines")
    return meta, lines[end + 1 :]


def locale_roots(tree: SourceTree, default_locale: str) -> dict[str, str]:
    """``{locale: folder prefix}``: language folders when the source has them, else everything."""
    tops = {PurePosixPath(f).parts[0] for f in tree.files() if "/" in f}
    found = {top: f"{top}/" for top in sorted(tops) if top in LANGUAGES}
    return found or {default_locale: ""}


def article_files(tree: SourceTree, prefix: str, suffixes: tuple[str, ...]) -> list[str]:
    return [
        f
        for f in tree.files()
        if f.startswith(prefix)
        and f.lower().endswith(suffixes)
        and not PurePosixPath(f).name.startswith(("_", "."))
        and PurePosixPath(f).name.lower() != "readme.md"
    ]


def category_for(
    tree: SourceTree, kind: str, locale: str, prefix: str, folder: str, found: dict
) -> str:
    """The source id of ``folder``'s category (created with its parents on first sight)."""
    folder = folder or GENERAL
    source_id = f"{locale}/{folder}"
    if source_id in found:
        return source_id
    parent = str(PurePosixPath(folder).parent)
    parent_id = None if parent == "." else category_for(tree, kind, locale, prefix, parent, found)
    meta: dict = {}
    meta_path = f"{prefix}{folder}/_category.md"
    if tree.exists(meta_path):
        meta, _ = split_front_matter(meta_path, tree.read_text(meta_path))
    name = PurePosixPath(folder).name
    found[source_id] = SourceCategory(
        source_id=source_id,
        locale=locale,
        title=str(meta.get("title") or name.replace("-", " ").replace("_", " ").capitalize()),
        translation_key=translation_key(kind, str(meta.get("translation_key") or folder)),
        parent_id=parent_id,
        slug=slugify(str(meta.get("slug") or name)),
        description=str(meta.get("description") or "")[:250],
        origin=f"{prefix}{folder}/",
    )
    return source_id


def as_list(value: object) -> list[str]:
    """Front-matter lists may be YAML lists or comma-separated strings."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def audience_of(meta: dict) -> tuple[str, list[str]]:
    """``audience: public | customers | <group name>[, ...]`` (or ``group:<name>``), and
    ``groups: [...]``: any named group means "Selected customer groups"."""
    groups = as_list(meta.get("groups"))
    values = as_list(meta.get("audience")) or ["public"]
    for value in values:
        if value.lower() not in {"public", "customers"}:
            groups.append(value.removeprefix("group:"))
    if groups:
        return "groups", groups
    return values[0].lower(), []


ReadArticle = Callable[[SourceTree, str, str, str, dict], SourceArticle]


def read_folder(
    tree: SourceTree,
    default_locale: str,
    kind: str,
    suffixes: tuple[str, ...],
    read_article: ReadArticle,
    errors: tuple[type[Exception], ...] = (),
) -> Bundle:
    """Every file with one of ``suffixes`` below the (per-language) roots, read by
    ``read_article``; a file that cannot be read is a failure with its reason, and the others
    go on. Shared by the Markdown and HTML readers, which differ only in how a file reads."""
    bundle = Bundle(kind=kind)
    categories: dict = {}
    caught = (FrontMatterError, UnsafeSource, UnicodeDecodeError, *errors)
    for locale, prefix in locale_roots(tree, default_locale).items():
        for path in article_files(tree, prefix, suffixes):
            try:
                bundle.articles.append(read_article(tree, path, locale, prefix, categories))
            except caught as error:
                bundle.failures.append((path, str(error)))
    bundle.categories = list(categories.values())
    return bundle
