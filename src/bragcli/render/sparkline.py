"""A measure's readings as a small inline SVG line, with its target band, for the HTML report.

The chart only repeats what the table beside it says (the table is the one reading); the SVG
is `role="img"` with an `aria-label` that states the trend in words, so it is never the only
way to read a value. Values that are not finite numbers are left out of the line (and the
line is not drawn with fewer than two), so no input can make the SVG invalid or huge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

from markupsafe import Markup

from bragcli.model import Rating
from bragcli.render.palette import BLACK, PALETTE

WIDTH, HEIGHT, PAD = 120, 36, 3


def _finite(values: Sequence[object]) -> list[float]:
    found = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        number = float(v)
        if math.isfinite(number) and abs(number) < 1e300:
            found.append(number)
    return found


def sparkline(
    values: Sequence[object],
    low: object = None,
    high: object = None,
    *,
    label: str,
) -> Markup:
    """`<svg>` of `values` (oldest first), with the band `low`..`high` that meets the target.

    Empty markup when fewer than two values are finite numbers: a single reading reads
    better in the table alone.
    """
    points = _finite(values)
    if len(points) < 2:
        return Markup("")
    bounds = _finite([b for b in (low, high) if b is not None])
    lo, hi = min(points + bounds), max(points + bounds)
    span = (hi - lo) or 1.0
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def y(value: float) -> float:
        return round(PAD + inner_h * (1 - (value - lo) / span), 2)

    step = inner_w / (len(points) - 1)
    line = " ".join(f"{round(PAD + i * step, 2)},{y(v)}" for i, v in enumerate(points))
    parts = [
        f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f"aria-label={quoteattr(label)}>"
    ]
    low_ok = _finite([low]) if low is not None else []
    high_ok = _finite([high]) if high is not None else []
    if low_ok or high_ok:
        top = y(high_ok[0]) if high_ok else PAD
        bottom = y(low_ok[0]) if low_ok else HEIGHT - PAD
        band = PALETTE[Rating.GREEN].css
        parts.append(
            f'<rect x="0" y="{top}" width="{WIDTH}" height="{max(round(bottom - top, 2), 1)}" '
            f'fill="{band}" fill-opacity="0.25"/>'
        )
        for edge in (low_ok + high_ok)[:2]:
            parts.append(
                f'<line x1="0" x2="{WIDTH}" y1="{y(edge)}" y2="{y(edge)}" stroke="{BLACK}" '
                'stroke-dasharray="3 2" stroke-width="1"/>'
            )
    last_x, last_y = line.rsplit(" ", 1)[-1].split(",")
    parts.append(
        f'<polyline points="{line}" fill="none" stroke="{BLACK}" stroke-width="1.5"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="{BLACK}"/></svg>'
    )
    return Markup("".join(parts))
