"""Inline SVG charts, rendered on the server: no script, nothing loaded from elsewhere.

Every chart comes as a ``<figure>`` whose caption names what is counted and the date range, with
labelled axes, and an SVG carrying ``<title>`` and ``<desc>`` (its text alternative, read by
screen readers) plus a ``<title>`` per bar for hover. The table under each chart holds every
number, so nothing is only in the picture.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import slugify

COLOURS = {"helpful": "#2e7d32", "support": "#c62828", "nothing": "#757575", "bar": "#1565c0"}
FONT = 'font-size="12" fill="#333"'
LINE_CHARS = 34  # characters per label line at 12px in the 240px label column


def day_label(day: date, year: bool = False) -> str:
    return f"{day:%b} {day.day}" + (f", {day.year}" if year else "")


def range_label(start: date, end: date) -> str:
    """E.g. "Nov 7 to Dec 4, 2026" with an en dash: the dates a chart covers, for its caption."""
    return f"{day_label(start, start.year != end.year)} \u2013 {day_label(end, True)}"


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Axis ticks from 0 past ``top`` in steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1) if float(top).is_integer() else step
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return ticks


def _f(value: float) -> str:
    """A coordinate as text (``format_html`` escapes its arguments before formatting them)."""
    return f"{value:.1f}"


def _num(value: float) -> str:
    return f"{value:g}"


def _figure(chart_id: str, title: str, caption: str, desc: str, size: tuple, body) -> SafeString:
    width, height = size
    return format_html(
        '<figure class="insights-figure" id="{}"><figcaption><strong>{}</strong> '
        '<span class="insights-range">{}</span></figcaption>'
        '<svg class="insights-chart" role="img" aria-labelledby="{}-t {}-d" '
        'viewBox="0 0 {} {}" width="100%">'
        '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg></figure>',
        chart_id, title, caption, chart_id, chart_id, width, height,
        chart_id, f"{title}, {caption}", chart_id, desc, body,
    )  # fmt: skip


def bars(
    items: list[tuple[str, float]],
    title: str,
    axis: str,
    start: date,
    end: date,
    width: int = 640,
) -> SafeString:
    """Horizontal bars, one per (label, value), in the order given. Labels wrap onto up to three
    lines instead of being cut; the x axis is labelled with what the bars count."""
    if not items:
        return SafeString("")
    label_w, left_pad, gap = 240, 8, 6
    plot_w = width - label_w - 50
    ticks = nice_ticks(max(v for _, v in items))
    scale = plot_w / ticks[-1]
    parts, y = [], 0
    for label, value in items:
        lines = textwrap.wrap(str(label), LINE_CHARS, max_lines=3, placeholder=" …") or [""]
        row_h = max(18, 15 * len(lines)) + gap
        tspans = format_html_join(
            "",
            '<tspan x="0" dy="{}">{}</tspan>',
            ((0 if i == 0 else 15, t) for i, t in enumerate(lines)),
        )
        w = max(1.0, value * scale)
        parts.append(
            format_html(
                '<g><title>{}: {} {}</title><text x="0" y="{}" {}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="14" fill="{}"></rect>'
                '<text x="{}" y="{}" {}>{}</text></g>',
                label, _num(value), axis, y + 12, SafeString(FONT), tspans,
                label_w + left_pad, y + 2, _f(w), COLOURS["bar"],
                _f(label_w + left_pad + w + 4), y + 13, SafeString(FONT), _num(value),
            )
        )  # fmt: skip
        y += row_h
    axis_y = y + 2
    tick_marks = format_html_join(
        "",
        '<line x1="{x}" y1="{y}" x2="{x}" y2="{y2}" stroke="#999"></line>'
        '<text x="{x}" y="{ty}" text-anchor="middle" font-size="11" fill="#555">{v}</text>',
        (
            {"x": _f(label_w + left_pad + t * scale), "y": axis_y, "y2": axis_y + 4,
             "ty": axis_y + 16, "v": _num(t)}
            for t in ticks
        ),
    )  # fmt: skip
    axis_svg = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"></line>{}'
        '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
        label_w + left_pad, axis_y, label_w + left_pad + plot_w, axis_y, tick_marks,
        _f(label_w + left_pad + plot_w / 2), axis_y + 32, SafeString(FONT), axis,
    )  # fmt: skip
    caption = range_label(start, end)
    desc = (
        f"Horizontal bar chart, x axis: {axis}. "
        + "; ".join(f"{label}: {_num(v)}" for label, v in items)
        + ". The table below lists every row."
    )
    body = format_html_join("", "{}", ((p,) for p in parts)) + axis_svg
    return _figure(f"chart-{slugify(title)}", title, caption, desc, (width, axis_y + 40), body)


def stacked_days(
    days: list[dict],
    keys: tuple[str, ...],
    labels: dict[str, str],
    title: str,
    axis: str,
    start: date,
    end: date,
) -> SafeString:
    """One stacked column per day (e.g. search sessions by outcome), with a y axis of counts,
    dates under the columns and a legend of what each colour counts."""
    if not days:
        return SafeString("")
    left, plot_w, plot_h, top_pad = 56, 600, 170, 10
    ticks = nice_ticks(max(sum(d[k] for k in keys) for d in days))
    scale = plot_h / ticks[-1]
    step = plot_w / len(days)
    base = top_pad + plot_h
    parts = []
    for i, day in enumerate(days):
        y = base
        for key in keys:
            h = day[key] * scale
            y -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} {}</title></rect>",
                    _f(left + i * step + 1), _f(y), _f(max(step - 2, 1)), _f(h),
                    COLOURS.get(key, "#555"),
                    day_label(day["day"]), day[key], labels[key].lower(),
                )
            )  # fmt: skip
    every = max(1, math.ceil(len(days) / 7))
    x_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#555">{}</text>',
        (
            (_f(left + i * step + step / 2), base + 15, day_label(d["day"]))
            for i, d in enumerate(days)
            if i % every == 0 or i == len(days) - 1
        ),
    )
    y_ticks = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#ddd"></line>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#555">{}</text>',
        (
            (left, _f(base - t * scale), left + plot_w, _f(base - t * scale), left - 6,
             _f(base - t * scale + 4), _num(t))
            for t in ticks
        ),
    )  # fmt: skip
    axes = format_html(
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#999"></line>'
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"></line>'
        '<text transform="translate(12 {m}) rotate(-90)" text-anchor="middle" {f}>{axis}</text>'
        '<text x="{c}" y="{xl}" text-anchor="middle" {f}>day</text>',
        l=left, t=top_pad, b=base, r=left + plot_w, m=_f(base - plot_h / 2), f=SafeString(FONT),
        axis=axis, c=left + plot_w / 2, xl=base + 32,
    )  # fmt: skip
    legend = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"></rect>'
        '<text x="{}" y="{}" ' + FONT + ">{}</text>",
        (
            (left + i * 200, base + 44, COLOURS.get(k, "#555"), left + i * 200 + 14, base + 53,
             labels[k])
            for i, k in enumerate(keys)
        ),
    )  # fmt: skip
    totals = ", ".join(f"{labels[k].lower()}: {sum(d[k] for d in days)}" for k in keys)
    desc = (
        f"Stacked columns, one per day; y axis: {axis}. Totals: {totals}. "
        "The table below lists every day."
    )
    body = format_html_join("", "{}", ((p,) for p in parts)) + y_ticks + axes + x_labels + legend
    caption = range_label(start, end)
    return _figure(
        f"chart-{slugify(title)}", title, caption, desc, (left + plot_w + 10, base + 62), body
    )
