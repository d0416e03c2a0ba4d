"""SVG drawing primitives for the report and the studio: one chart system for the page, print and the PDF.

Each function takes plain numbers (already aggregated) and returns an SVG string with a <title> and
<desc> for screen readers. Labels go through the active language (callers activate it) and numbers through
Django's locale formatting, so a chart cached per scan and language is exactly what the page shows.
No JavaScript, no external files: the SVG is inlined in the HTML and WeasyPrint draws it in the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.formats import number_format

WIDTH, HEIGHT = 560, 320
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 74, 12, 32, 38
FONT_SIZE = 16
FONT = 'font-family="Inter, system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"'

# Palette (also used by the legends in the CSS): solar, consumption, grid, battery, money up/down, CO2.
SUN = "#f59e0b"
SUN_SOFT = "#fcd34d"
INK = "#334155"
GRID = "#94a3b8"
BATTERY = "#6366f1"
TEAL = "#0f766e"
RED = "#dc2626"
GREEN = "#16a34a"
LINE = "#e2e8f0"
MUTED = "#64748b"


def fmt(value: float, decimals: int = 0) -> str:
    """A number in the active locale with thousands grouping (1.234,5 in Dutch, 1,234.5 in English)."""
    return number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 2.5, 5 × 10^n steps), always including 0 if in range."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


@dataclass
class Frame:
    """Plot area and a linear y scale."""

    y_min: float
    y_max: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def left(self) -> float:
        return MARGIN_LEFT

    @property
    def right(self) -> float:
        return self.width - MARGIN_RIGHT

    @property
    def top(self) -> float:
        return MARGIN_TOP

    @property
    def bottom(self) -> float:
        return self.height - MARGIN_BOTTOM

    def y(self, value: float) -> float:
        span = self.y_max - self.y_min or 1.0
        return self.bottom - (value - self.y_min) / span * (self.bottom - self.top)


def svg_document(body: list[str], title: str, desc: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart-svg" '
        f'role="img" aria-labelledby="t" preserveAspectRatio="xMidYMid meet" {FONT}>'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def y_axis(frame: Frame, ticks: Sequence[float], unit: str, decimals: int = 0) -> list[str]:
    out = []
    for tick in ticks:
        y = frame.y(tick)
        stroke = INK if tick == 0 else LINE
        out.append(
            f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{stroke}" stroke-width="{1.2 if tick == 0 else 1}"/>'
        )
        out.append(
            f'<text x="{frame.left - 8:.1f}" y="{y + 5:.1f}" text-anchor="end" font-size="{FONT_SIZE}" '
            f'fill="{MUTED}">{escape(fmt(tick, decimals))}</text>'
        )
    out.append(
        f'<text x="{frame.left - 8:.1f}" y="{frame.top - 12:.1f}" text-anchor="end" font-size="{FONT_SIZE}" '
        f'fill="{MUTED}">{escape(unit)}</text>'
    )
    return out


def x_axis_labels(frame: Frame, labels: Sequence[str], centres: Sequence[float], every: int = 1) -> list[str]:
    return [
        f'<text x="{x:.1f}" y="{frame.bottom + 22:.1f}" text-anchor="middle" font-size="{FONT_SIZE}" '
        f'fill="{MUTED}">{escape(label)}</text>'
        for i, (label, x) in enumerate(zip(labels, centres, strict=True))
        if i % every == 0
    ]


def path_d(points: Sequence[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)


def grouped_bars(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    unit: str,
    title: str,
    desc: str,
) -> str:
    """Bars side by side per label (e.g. consumption and solar production per month)."""
    values = [v for _, _, data in series for v in data]
    ticks = nice_ticks(min(0.0, min(values, default=0)), max(values, default=1) or 1)
    frame = Frame(ticks[0], ticks[-1])
    body = y_axis(frame, ticks, unit)
    slot = (frame.right - frame.left) / max(len(labels), 1)
    bar = slot * 0.78 / max(len(series), 1)
    centres = []
    for i in range(len(labels)):
        x0 = frame.left + i * slot + slot * 0.11
        centres.append(frame.left + (i + 0.5) * slot)
        for j, (name, colour, data) in enumerate(series):
            v = data[i]
            y, y0 = frame.y(max(v, 0)), frame.y(min(v, 0))
            body.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{y:.1f}" width="{bar - 1.5:.1f}" '
                f'height="{max(y0 - y, 0.5):.1f}" rx="2" fill="{colour}">'
                f"<title>{escape(labels[i])} · {escape(name)}: {escape(fmt(v))} {escape(unit)}</title></rect>"
            )
    body += x_axis_labels(frame, labels, centres)
    return svg_document(body, title, desc)


def stacked_day(
    *,
    stacks: Sequence[tuple[str, str, Sequence[float]]],
    line: tuple[str, str, Sequence[float]],
    unit: str,
    title: str,
    desc: str,
    y_max: float | None = None,
) -> str:
    """24 hourly stacked bars (where the consumption comes from) with a line (solar production)."""
    hours = len(line[2])
    totals = [sum(data[h] for _, _, data in stacks) for h in range(hours)]
    top = y_max if y_max is not None else max(max(totals, default=0), max(line[2], default=0))
    ticks = nice_ticks(0.0, top or 0.5)
    frame = Frame(0.0, ticks[-1])
    body = y_axis(frame, ticks, unit, decimals=1)
    slot = (frame.right - frame.left) / hours
    centres = []
    for h in range(hours):
        base = 0.0
        x = frame.left + h * slot + slot * 0.12
        centres.append(frame.left + (h + 0.5) * slot)
        for name, colour, data in stacks:
            v = max(data[h], 0.0)
            if v <= 0:
                continue
            y0, y1 = frame.y(base), frame.y(base + v)
            body.append(
                f'<rect x="{x:.1f}" y="{y1:.1f}" width="{slot * 0.76:.1f}" height="{max(y0 - y1, 0.3):.1f}" '
                f'fill="{colour}"><title>{h:02d}:00 · {escape(name)}: {escape(fmt(v, 2))} {escape(unit)}'
                "</title></rect>"
            )
            base += v
    name, colour, data = line
    body.append(
        f'<path d="{path_d([(c, frame.y(v)) for c, v in zip(centres, data, strict=True)])}" fill="none" '
        f'stroke="{colour}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>'
    )
    body += x_axis_labels(frame, [f"{h:02d}" for h in range(hours)], centres, every=3)
    return svg_document(body, title, desc)


def band_line(
    *,
    low: Sequence[float],
    mid: Sequence[float],
    high: Sequence[float],
    label_positions: Sequence[float],
    month_labels: Sequence[str],
    unit: str,
    title: str,
    desc: str,
    colour: str = BATTERY,
) -> str:
    """A daily band (min–max) with its mean line over the year (battery state of charge)."""
    ticks = [0, 25, 50, 75, 100]
    frame = Frame(0.0, 100.0)
    body = y_axis(frame, ticks, unit)
    n = len(mid)
    step = (frame.right - frame.left) / max(n - 1, 1)
    xs = [frame.left + i * step for i in range(n)]
    upper = [(x, frame.y(v)) for x, v in zip(xs, high, strict=True)]
    lower = [(x, frame.y(v)) for x, v in zip(xs, low, strict=True)]
    body.append(
        f'<path d="{path_d(upper + lower[::-1])} Z" fill="{colour}" fill-opacity="0.18" stroke="none"/>'
    )
    body.append(
        f'<path d="{path_d(list(zip(xs, [frame.y(v) for v in mid], strict=True)))}" fill="none" '
        f'stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>'
    )
    centres = [frame.left + position * step for position in label_positions]
    body += x_axis_labels(frame, month_labels, centres)
    return svg_document(body, title, desc)


def cashflow(
    *,
    yearly: Sequence[float],
    cumulative: Sequence[float],
    break_even_year: int | None,
    title: str,
    desc: str,
    marker: str,
    unit: str = "€",
) -> str:
    """Yearly cashflow bars (green in, red out) with the cumulative line and the break-even year marked."""
    values = list(yearly) + list(cumulative)
    ticks = nice_ticks(min(0.0, min(values, default=0)), max(0.0, max(values, default=1)) or 1)
    frame = Frame(ticks[0], ticks[-1])
    body = y_axis(frame, ticks, unit)
    n = len(yearly)
    slot = (frame.right - frame.left) / max(n, 1)
    centres = [frame.left + (i + 0.5) * slot for i in range(n)]
    for i, v in enumerate(yearly):
        y, y0 = frame.y(max(v, 0)), frame.y(min(v, 0))
        colour = GREEN if v >= 0 else RED
        body.append(
            f'<rect x="{centres[i] - slot * 0.34:.1f}" y="{y:.1f}" width="{slot * 0.68:.1f}" '
            f'height="{max(y0 - y, 0.5):.1f}" rx="1.5" fill="{colour}" fill-opacity="0.75">'
            f"<title>{i}: {escape(unit)} {escape(fmt(v))}</title></rect>"
        )
    body.append(
        f'<path d="{path_d(list(zip(centres, [frame.y(v) for v in cumulative], strict=True)))}" fill="none" '
        f'stroke="{TEAL}" stroke-width="2.5" stroke-linejoin="round"/>'
    )
    if break_even_year is not None and 0 <= break_even_year < n:
        x = centres[break_even_year]
        body.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top:.1f}" y2="{frame.bottom:.1f}" stroke="{SUN}" '
            'stroke-width="2" stroke-dasharray="5 4"/>'
        )
        anchor = "start" if break_even_year < n * 0.7 else "end"
        dx = 6 if anchor == "start" else -6
        body.append(
            f'<text x="{x + dx:.1f}" y="{frame.top + 14:.1f}" text-anchor="{anchor}" font-size="{FONT_SIZE}" '
            f'font-weight="600" fill="#92400e">{escape(marker)}</text>'
        )
    every = 1 if n <= 12 else 5
    body += x_axis_labels(frame, [str(i) for i in range(n)], centres, every=every)
    return svg_document(body, title, desc)
