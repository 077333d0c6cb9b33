"""Inline SVG charts, rendered on the server: no script, nothing loaded from elsewhere, and the
numbers stay readable as text (each bar carries a <title> for hover and screen readers)."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

COLOURS = {"helpful": "#2e7d32", "support": "#c62828", "nothing": "#9e9e9e", "bar": "#1565c0"}


def bars(items: list[tuple[str, float]], title: str, width: int = 520) -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given."""
    if not items:
        return SafeString("")
    top = max(v for _, v in items) or 1
    row, label_w = 22, 190
    parts = []
    for i, (label, value) in enumerate(items):
        w = max(1, int((width - label_w - 50) * value / top))
        y = i * row
        parts.append(
            format_html(
                '<g><title>{}: {}</title><text x="0" y="{}" font-size="12">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="14" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12">{}</text></g>',
                label,
                value,
                y + 12,
                str(label)[:28],
                label_w,
                y + 2,
                w,
                COLOURS["bar"],
                label_w + w + 4,
                y + 12,
                value,
            )
        )
    return format_html(
        '<svg class="insights-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" style="max-width:{}px">{}</svg>',
        title,
        width,
        len(items) * row,
        width,
        format_html_join("", "{}", ((p,) for p in parts)),
    )


def stacked_days(days: list[dict], keys: tuple[str, ...], title: str) -> SafeString:
    """One stacked column per day (e.g. sessions by outcome), with a legend."""
    if not days:
        return SafeString("")
    height, width = 160, 640
    step = width / len(days)
    top = max(sum(d[k] for k in keys) for d in days) or 1
    parts = []
    for i, day in enumerate(days):
        y = height
        for key in keys:
            h = height * day[key] / top
            y -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{} {}: {}</title></rect>",
                    f"{i * step + 1:.1f}",
                    f"{y:.1f}",
                    f"{max(step - 2, 1):.1f}",
                    f"{h:.1f}",
                    COLOURS.get(key, "#555"),
                    day["day"],
                    key,
                    day[key],
                )
            )
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text>',
        (
            (i * 110, height + 8, COLOURS.get(k, "#555"), i * 110 + 14, height + 17, k)
            for i, k in enumerate(keys)
        ),
    )
    return format_html(
        '<svg class="insights-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" '
        'width="100%" style="max-width:{}px">{}{}</svg>',
        title,
        width,
        height + 24,
        width,
        format_html_join("", "{}", ((p,) for p in parts)),
        legend,
    )
