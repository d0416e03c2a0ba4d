"""The dossier page's chart: measured production as bars, the expected band (low-high over the measured
weather years) as a shaded box per month with a line at the typical value. Server-rendered SVG from the
portal's chart primitives, like every other chart. A month without enough data (or still running) is drawn
pale, a month without readings has no bar: never a zero."""

from __future__ import annotations

from html import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.reports.svg import GRID, INK, SUN, Frame, fmt, nice_ticks, svg_document, x_axis_labels, y_axis

MAX_MONTHS = 24  # the chart shows the last two years; the table below it has every month


def performance_chart(months) -> str:
    """``months``: stored ``MonthlyPerformance`` rows, oldest first."""
    months = list(months)[-MAX_MONTHS:]
    top = max([m.expected_high_kwh for m in months] + [m.actual_kwh or 0.0 for m in months] + [1.0])
    ticks = nice_ticks(0.0, top)
    frame = Frame(0.0, ticks[-1])
    body = y_axis(frame, ticks, "kWh")
    slot = (frame.right - frame.left) / max(len(months), 1)
    centres = []
    for i, m in enumerate(months):
        x0 = frame.left + i * slot + slot * 0.12
        width = slot * 0.76
        centres.append(frame.left + (i + 0.5) * slot)
        label = date_format(m.month, "M Y")
        band = _("expected %(low)s–%(high)s kWh, typically %(typical)s kWh") % {
            "low": fmt(m.expected_low_kwh),
            "high": fmt(m.expected_high_kwh),
            "typical": fmt(m.expected_kwh),
        }
        y_low, y_high = frame.y(m.expected_low_kwh), frame.y(m.expected_high_kwh)
        body.append(
            f'<rect x="{x0 - slot * 0.06:.1f}" y="{y_high:.1f}" width="{width + slot * 0.12:.1f}" '
            f'height="{max(y_low - y_high, 0.5):.1f}" fill="{GRID}" fill-opacity="0.3">'
            f"<title>{escape(label)} · {escape(band)}</title></rect>"
        )
        y_typ = frame.y(m.expected_kwh)
        body.append(
            f'<line x1="{x0 - slot * 0.06:.1f}" x2="{x0 + width + slot * 0.06:.1f}" y1="{y_typ:.1f}" '
            f'y2="{y_typ:.1f}" stroke="{INK}" stroke-width="1.5"/>'
        )
        if m.actual_kwh is not None:
            y = frame.y(m.actual_kwh)
            opacity = "1" if m.status in ("ok", "low") else "0.45"
            measured = _("measured %(kwh)s kWh (%(coverage)s %% of hours)") % {
                "kwh": fmt(m.actual_kwh),
                "coverage": fmt(m.coverage * 100),
            }
            body.append(
                f'<rect x="{x0 + width * 0.2:.1f}" y="{y:.1f}" width="{width * 0.6:.1f}" '
                f'height="{max(frame.bottom - y, 0.5):.1f}" rx="2" fill="{SUN}" fill-opacity="{opacity}">'
                f"<title>{escape(label)} · {escape(measured)}</title></rect>"
            )
    every = 1 if len(months) <= 12 else 3
    body += x_axis_labels(frame, [date_format(m.month, "M") for m in months], centres, every=every)
    return svg_document(
        body,
        _("Production per month: measured and expected"),
        _(
            "Bars: measured production. Shaded box: the expected range over the measured weather years, with a line at the typical value."
        ),
    )
