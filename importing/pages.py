"""Low-level writes for the importer: one page as a new revision, images, redirects, groups.

Pages are created and updated the way an editor would (a revision, then publish), so history
shows the import and every publish hook runs; ``actions.py`` decides what to write.
"""

from __future__ import annotations

import copy
import hashlib
import json
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlparse

from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.log_actions import log
from wagtail.models import Page

from kb.models import ArticlePage, CategoryPage, CustomerGroup

from .files import SourceTree, UnsafeSource
from .items import strip_ids

IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def fingerprint(page: Page) -> str:
    """A hash of what an editor can change on the page, read from its latest revision (drafts
    included): when it differs from the hash stored at import, someone edited it in Faro."""
    obj = page.get_latest_revision_as_object() if page.latest_revision_id else page
    data: dict[str, Any] = {"title": obj.title, "slug": obj.slug}
    if isinstance(obj, ArticlePage):
        data.update(
            summary=obj.summary,
            body=strip_ids(obj.body.get_prep_value()),
            tags=sorted(tag.name for tag in obj.tags.all()),
            audience=obj.audience,
            groups=sorted(group.pk for group in obj.audience_groups.all()),
            last_reviewed=str(obj.last_reviewed),
        )
    elif isinstance(obj, CategoryPage):
        data["description"] = obj.description
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def free_slug(parent: Page, wanted: str, exclude_pk: int | None = None) -> str:
    """``wanted``, or ``wanted-2``, ... : the first slug no sibling uses."""
    base = slugify(wanted)[:80].strip("-") or "page"
    siblings = set(
        Page.objects.child_of(parent).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in siblings:
        n += 1
        slug = f"{base}-{n}"
    return slug


def may_publish(user: Any, parent: Page, page: Page | None) -> bool:
    """Whether this import may publish: the command (no user) may; a person in the admin only
    where Wagtail lets them publish. Others' imports become drafts for the moderation workflow."""
    if user is None:
        return True
    if page is None:
        return parent.permissions_for_user(user).can_publish_subpage()
    return page.permissions_for_user(user).can_publish()


def permission_problem(user: Any, parent: Page, page: Page | None) -> str | None:
    """Why this person may not write the page (None: they may). The command runs as the site."""
    if user is None:
        return None
    if page is None and not parent.permissions_for_user(user).can_add_subpage():
        return f"you may not add pages under {parent.title!r}"
    if page is not None and not page.permissions_for_user(user).can_edit():
        return f"you may not edit {page.title!r}"
    return None


def write_page(
    model: type[Page],
    parent: Page,
    page: Page | None,
    *,
    fields: dict[str, Any],
    translation_key: str,
    draft: bool,
    user: Any,
    source: str,
) -> Page:
    """Create or update one page as a new revision; publish it unless the source is a draft or
    the user may not publish. The slug of an existing page is kept, so its URL does not move
    under readers' feet."""
    problem = permission_problem(user, parent, page)
    if problem:
        raise PermissionError(problem)
    allowed = may_publish(user, parent, page)
    publish = allowed and not draft
    tags = fields.pop("tags", None)
    groups = fields.pop("audience_groups", None)
    slug = fields.pop("slug", "") or fields["title"]
    if page is None:
        page = model(slug=free_slug(parent, slug), locale_id=parent.locale_id, **fields)
        page.translation_key = translation_key
        page.live = publish
        parent.add_child(instance=page)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    if tags is not None:
        page.tags.set(tags)
    if groups is not None:
        page.audience_groups.set(groups)
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    elif draft and allowed and page.live:  # the source took it down
        page.unpublish(user=user)
    log(instance=page, action="faro.import", user=user, data={"source": source[:200]})
    return page


class ImageStore:
    """Uploads images into Wagtail's library once per file content (re-runs and translations
    reuse them, matched by Wagtail's own SHA-1 ``file_hash``)."""

    def __init__(self, tree: SourceTree, user: Any) -> None:
        self.tree = tree
        self.user = user
        self.by_path: dict[str, int] = {}
        self.uploaded = 0
        self.reused = 0  # already in the library (same file content)
        self._pending: list[tuple[str, str]] = []  # (path, stored file name) of this article

    def begin(self) -> None:
        self._pending = []

    def rollback(self) -> None:
        """The article's transaction rolled back: forget its images and delete their files."""
        for path, name in self._pending:
            self.by_path.pop(path, None)
            default_storage.delete(name)
            self.uploaded -= 1
        self._pending = []

    def image_id(self, path: str, title: str) -> int:
        if path in self.by_path:
            return self.by_path[path]
        data = self.tree.read_bytes(path)
        _check_image(path, data)
        digest = hashlib.sha1(data).hexdigest()
        image = Image.objects.filter(file_hash=digest).first()
        if image is None:
            image = Image(title=title[:255], uploaded_by_user=self.user)
            image.file = ImageFile(BytesIO(data), name=PurePosixPath(path).name)
            image.file_size, image.file_hash = len(data), digest
            image.save()
            self.uploaded += 1
            self._pending.append((path, image.file.name))
        else:
            self.reused += 1
        self.by_path[path] = image.pk
        return image.pk

    def resolve(self, blocks: list[dict], title: str) -> list[dict]:
        """A copy of ``blocks`` with every ``{"src": path}`` replaced by an uploaded image id."""
        blocks = copy.deepcopy(blocks)
        for item in blocks:
            value = item["value"]
            if item["type"] == "image":
                image = self.image_id(value.pop("src"), value.get("alt") or title)
                value["image"] = image
            elif item["type"] == "steps":
                for step in value["steps"]:
                    if isinstance(step["value"].get("image"), dict):
                        src = step["value"]["image"]["src"]
                        step["value"]["image"] = self.image_id(src, title)
        return blocks


def _check_image(path: str, data: bytes) -> None:
    try:
        with PILImage.open(BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
        raise UnsafeSource(f"{path}: not a readable image ({error})") from error
    if kind not in IMAGE_FORMATS:
        raise UnsafeSource(f"{path}: {kind} images are not accepted")


def add_redirects(page: Page, urls: list[str]) -> tuple[int, list[str]]:
    """Permanent redirects from the old help centre's URLs; only http(s) URLs and plain paths
    are accepted from a source. Returns how many and notes for what was refused."""
    count, notes = 0, []
    own = (page.url or "").rstrip("/")
    for url in urls:
        parsed = urlparse(url.strip())
        is_path = not parsed.scheme and not parsed.netloc and url.startswith("/")
        if not is_path and parsed.scheme not in {"http", "https"}:
            notes.append(f"old URL ignored (only http(s) URLs or paths): {url[:80]}")
            continue
        path = Redirect.normalise_path(url)
        if len(path) > 255 or path in {"", "/"}:
            notes.append(f"old URL ignored (empty or too long): {url[:80]}")
            continue
        if path != own:
            Redirect.objects.update_or_create(
                old_path=path,
                site=None,
                defaults={"redirect_page": page, "redirect_link": "", "is_permanent": True},
            )
            count += 1
    return count, notes


def customer_groups(names: list[str], *, create: bool) -> tuple[list[CustomerGroup], list[str]]:
    """Groups by name, created on demand (``create``); returns them and the names it created
    (or would create)."""
    groups, created = [], []
    for name in dict.fromkeys(n.strip()[:100] for n in names if n.strip()):
        group = CustomerGroup.objects.filter(name=name).first()
        if group is None:
            created.append(name)
            if not create:
                continue
            slug, n = slugify(name)[:90] or "group", 1
            while CustomerGroup.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{slugify(name)[:90] or 'group'}-{n}"
            group = CustomerGroup.objects.create(name=name, slug=slug)
        groups.append(group)
    return groups, created
