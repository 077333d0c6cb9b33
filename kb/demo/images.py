"""Illustrations for the demo articles, drawn with Pillow so the repository ships no binaries
and the seed never downloads anything."""

from __future__ import annotations

from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

IMAGE_KEYS = {
    "dashboard": ("Plano dashboard", "#0b5cad"),
    "project-board": ("Project board", "#6b3fa0"),
    "timesheet": ("Weekly timesheet", "#1e7a34"),
    "billing-settings": ("Billing settings", "#a35a00"),
    "security-settings": ("Security settings", "#9b1c31"),
    "integrations": ("Integrations", "#006d77"),
    "reports": ("Reports", "#3a4a5c"),
    "mobile-app": ("Mobile app", "#4a4e9c"),
}


def _draw(label: str, accent: str) -> bytes:
    """A simple, recognisable mock-up of a product screen: sidebar, header, cards and rows."""
    width, height = 1200, 700
    canvas = PILImage.new("RGB", (width, height), "#f4f6f8")
    draw = ImageDraw.Draw(canvas)
    draw.rectangle([0, 0, 220, height], fill="#1b1f24")
    for row in range(6):
        draw.rounded_rectangle([30, 110 + row * 60, 190, 140 + row * 60], 6, fill="#3a4048")
    draw.rectangle([220, 0, width, 80], fill=accent)
    draw.text((250, 30), label, fill="#ffffff", font_size=28)
    for col in range(3):
        x = 260 + col * 300
        draw.rounded_rectangle([x, 120, x + 270, 260], 12, fill="#ffffff", outline="#d6dbe1")
        draw.rounded_rectangle([x + 20, 150, x + 160, 170], 6, fill=accent)
        draw.rounded_rectangle([x + 20, 200, x + 230, 215], 6, fill="#d6dbe1")
    for row in range(6):
        y = 300 + row * 62
        draw.rounded_rectangle([260, y, 1150, y + 48], 8, fill="#ffffff", outline="#d6dbe1")
        draw.rounded_rectangle([280, y + 16, 520, y + 32], 6, fill="#c4cbd3")
        draw.rounded_rectangle([980, y + 12, 1120, y + 36], 12, fill=accent)
    buffer = BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_images() -> dict[str, Image]:
    """Create (once) and return the demo images by key."""
    images = {}
    for key, (label, accent) in IMAGE_KEYS.items():
        title = f"Demo: {label}"
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image(title=title)
            image.file = ImageFile(BytesIO(_draw(label, accent)), name=f"demo-{key}.png")
            image.save()
        images[key] = image
    return images
