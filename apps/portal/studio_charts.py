"""The studio editor's charts: ``apps.studio.charts.chart_data`` aggregates, this draws it as inline SVG.

Same chart system as the report (``apps.reports.svg``: its frame, ticks, axis, palette and number
formatting), so the editor needs no JavaScript chart library and no external files. One function per
chart: hourly lines for a week, bars per day (month) or per month (year).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from django.utils import formats
from django.utils.translation import gettext as _

from apps.reports import svg as c

BASE_COLOUR = "#cbd5e1"
RESULT_COLOUR = c.INK
EXPORT_COLOUR = c.TEAL
PRODUCTION_COLOUR = c.SUN


def _frame_for(values: Sequence[float]) -> tuple[c.Frame, list[float]]:
    ticks = c.nice_ticks(0.0, max(max(values, default=0.0), 0.0) or 1.0)
    return c.Frame(0.0, ticks[-1]), ticks


def line_chart(
    *,
    series: Sequence[tuple[str, str, Sequence[float], bool]],
    x_labels: Sequence[tuple[float, str]],
    unit: str,
    title: str,
    desc: str,
) -> str:
    """Lines over n points; ``series``: (name, colour, values, dashed); ``x_labels``: (point index, text)."""
    values = [v for _n, _c, data, _d in series for v in data]
    frame, ticks = _frame_for(values)
    decimals = 0 if all(float(t).is_integer() for t in ticks) else (1 if ticks[-1] >= 1 else 2)
    body = c.y_axis(frame, ticks, unit, decimals)
    n = max((len(data) for _n, _c, data, _d in series), default=1)
    step = (frame.right - frame.left) / max(n - 1, 1)
    for name, colour, data, dashed in series:
        points = [(frame.left + i * step, frame.y(v)) for i, v in enumerate(data)]
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        body.append(
            f'<path d="{c.path_d(points)}" fill="none" stroke="{colour}" stroke-width="{2 if dashed else 2.5}"'
            f'{dash} stroke-linejoin="round" stroke-linecap="round"><title>{escape(name)}</title></path>'
        )
    positions = [frame.left + index * step for index, _label in x_labels]
    body += c.x_axis_labels(frame, [label for _i, label in x_labels], positions)
    return c.svg_document(body, title, desc)


def bar_chart(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    unit: str,
    title: str,
    desc: str,
    label_every: int = 1,
) -> str:
    """Bars side by side per label, with every ``label_every``-th label written under the axis."""
    values = [v for _n, _c, data in series for v in data]
    frame, ticks = _frame_for(values)
    decimals = 0 if all(float(t).is_integer() for t in ticks) else (1 if ticks[-1] >= 1 else 2)
    body = c.y_axis(frame, ticks, unit, decimals)
    slot = (frame.right - frame.left) / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    centres = []
    for i, label in enumerate(labels):
        x0 = frame.left + i * slot + slot * 0.1
        centres.append(frame.left + (i + 0.5) * slot)
        for j, (name, colour, data) in enumerate(series):
            v = max(data[i], 0.0)
            y = frame.y(v)
            body.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{y:.1f}" width="{max(bar - 1, 0.8):.1f}" '
                f'height="{max(frame.bottom - y, 0.5):.1f}" rx="1.5" fill="{colour}">'
                f"<title>{escape(label)} · {escape(name)}: {escape(c.fmt(v, 1))} {escape(unit)}</title></rect>"
            )
    body += c.x_axis_labels(frame, labels, centres, every=label_every)
    return c.svg_document(body, title, desc)


def _month_names() -> list[str]:
    return [formats.date_format(date(2001, m, 1), "M") for m in range(1, 13)]


def studio_chart(data: dict) -> dict:
    """SVG, legend and caption for one ``chart_data`` result (kWh per hour, day or month)."""
    view = data["view"]
    resolution = data["resolution"]
    baseline, combined = data["baseline"], data["combined"]
    if view == "production":
        series = [(_("Solar production"), PRODUCTION_COLOUR, combined, False)]
    elif view == "export":
        series = [
            (_("Export without layers"), BASE_COLOUR, baseline, True),
            (_("Export with layers"), EXPORT_COLOUR, combined, False),
        ]
    else:
        series = [
            (_("Base profile"), BASE_COLOUR, baseline, True),
            (_("With layers (grid import)"), RESULT_COLOUR, combined, False),
        ]
    # The baseline of production is all zeros: leave it out of an export chart without feed-in too.
    series = [s for s in series if any(s[2]) or s is series[-1]]
    if resolution == "hour":
        days = [formats.date_format(date.fromisoformat(label[:10]), "D j") for label in data["labels"][::24]]
        svg = line_chart(
            series=series,
            x_labels=[(i * 24 + 12, day) for i, day in enumerate(days)],
            unit="kWh",
            title=_("Hourly energy in the selected week"),
            desc=_("Total: %(total)s kWh.") % {"total": c.fmt(data["totals"]["combined"])},
        )
    else:
        if resolution == "day":
            labels = [str(int(label[-2:])) for label in data["labels"]]
            every = 5
        else:
            labels = _month_names()
            every = 1
        svg = bar_chart(
            labels=labels,
            series=[(name, colour, values) for name, colour, values, _d in series],
            unit="kWh",
            title=_("Energy per %(step)s") % {"step": _("day") if resolution == "day" else _("month")},
            desc=_("Total: %(total)s kWh.") % {"total": c.fmt(data["totals"]["combined"])},
            label_every=every,
        )
    legend = [
        {"label": name, "color": colour, "kind": "line" if resolution == "hour" else "box"}
        for name, colour, _v, _d in series
    ]
    return {"svg": svg, "legend": legend}
