"""`brag trend --chart`: a stacked bar chart of BRAG totals a committee can read.

SVG is written directly (no dependency): one bar per point, segments labelled with their
counts, a legend in words, and a <title>/<desc> for screen readers. PNG needs matplotlib,
installed with the optional extra `bragcli[chart]`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from bragcli.compute.trend import Point, Trend
from bragcli.model import Rating
from bragcli.problems import BragError
from bragcli.render.palette import BLACK, PALETTE, WHITE
from bragcli.render.wording import not_loaded, rating_word


def write_chart(trend: Trend, path: Path, title: str, plan_paths: Sequence[Path] = ()) -> None:
    """Write the chart as SVG or PNG (by `path`'s suffix); never into a plan folder."""
    from bragcli.outputs import write_bytes

    suffix = path.suffix.lower()
    if suffix == ".svg":
        data = svg(trend, title).encode("utf-8")
    elif suffix == ".png":
        data = _png(trend, title)
    else:
        raise BragError(f"{path}: a chart is written as .svg or .png")
    hint = f"choose a file outside the plan folder, e.g. --chart trend{suffix}"
    write_bytes(path, data, plan_paths, hint=hint)


def svg(trend: Trend, title: str) -> str:
    points = trend.points
    if not points:
        raise BragError("no commit touched the plan in that range: nothing to chart")
    bar, gap, left, top, plot_h = 28, 10, 60, 50, 300
    width = left + len(points) * (bar + gap) + 170
    height = top + plot_h + 90
    peak = max(p.totals.actions for p in points) or 1  # a point not loaded counts 0
    unit = plot_h / peak
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t d" '
        'font-family="Arial, Helvetica, sans-serif" font-size="12">',
        f'<title id="t">{escape(title)}</title>',
        '<desc id="d">Stacked bars, one per commit, counting actions by BRAG rating: '
        + "; ".join(f"{p.revision.date.isoformat()}: {_described(p)}" for p in points)
        + ".</desc>",
        f'<rect width="100%" height="100%" fill="{WHITE}"/>',
        f'<text x="{left}" y="24" font-size="16" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + len(points) * (bar + gap)}" '
        f'y2="{top + plot_h}" stroke="{BLACK}"/>',
        f'<text x="{left - 8}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 8}" y="{top + plot_h + 4}" text-anchor="end">0</text>',
    ]
    for i, point in enumerate(points):
        x = left + i * (bar + gap)
        y: float = top + plot_h
        if not point.loaded:  # a gap, marked: never a bar that would read as a dip
            line_x, text_x, text_y = x + bar / 4, x + bar * 3 / 4 + 4, top + plot_h - 6
            out.append(
                f'<line x1="{line_x}" y1="{top}" x2="{line_x}" y2="{top + plot_h}" '
                f'stroke="{BLACK}" stroke-dasharray="4 4">'
                f"<title>{point.revision.date.isoformat()}: {_described(point)}</title></line>"
            )
            out.append(
                f'<text x="{text_x}" y="{text_y}" font-size="10" '
                f'transform="rotate(-90 {text_x} {text_y})">did not load</text>'
            )
        for rating in Rating:
            count = point.totals.status[rating]
            if not count:
                continue
            h = count * unit
            y -= h
            swatch = PALETTE[rating]
            out.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{swatch.colour}" stroke="{BLACK}" stroke-width="0.5">'
                f"<title>{point.revision.date.isoformat()}: "
                f"{count} {rating_word(rating).lower()}</title></rect>"
            )
            if h >= 13:
                out.append(
                    f'<text x="{x + bar / 2}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" '
                    f'fill="{swatch.ink}">{count}</text>'
                )
        label_y = top + plot_h + 14
        out.append(
            f'<text x="{x + bar / 2}" y="{label_y}" text-anchor="end" '
            f'transform="rotate(-45 {x + bar / 2} {label_y})">'
            f"{point.revision.date.isoformat()}</text>"
        )
    legend_x = left + len(points) * (bar + gap) + 20
    for j, rating in enumerate(Rating):
        ly = top + j * 22
        out.append(
            f'<rect x="{legend_x}" y="{ly}" width="14" height="14" '
            f'fill="{PALETTE[rating].colour}" stroke="{BLACK}"/>'
        )
        out.append(f'<text x="{legend_x + 20}" y="{ly + 12}">{rating_word(rating)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _described(point: Point) -> str:
    """A point in words, for screen readers and tooltips."""
    if not point.loaded:
        return not_loaded(point.errors)
    return ", ".join(f"{point.totals.status[r]} {rating_word(r).lower()}" for r in Rating)


def _png(trend: Trend, title: str) -> bytes:
    try:
        import matplotlib  # type: ignore[import-not-found, unused-ignore]

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # type: ignore[import-not-found, unused-ignore]
    except ImportError as e:
        raise BragError(
            "a PNG chart needs matplotlib: pip install 'bragcli[chart]' (or write an .svg chart, "
            "which needs nothing)"
        ) from e
    points = trend.points
    if not points:
        raise BragError("no commit touched the plan in that range: nothing to chart")
    labels = [p.revision.date.isoformat() for p in points]
    fig, ax = plt.subplots(figsize=(max(6, len(points) * 0.45), 4.5), dpi=150)
    bottom = [0] * len(points)
    for rating in Rating:
        values = [p.totals.status[rating] for p in points]
        ax.bar(range(len(points)), values, bottom=bottom, color=PALETTE[rating].colour,
               edgecolor=BLACK, linewidth=0.4, label=rating_word(rating))  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for i, point in enumerate(points):
        if not point.loaded:  # a gap, marked, where the plan did not load
            ax.axvline(i, color=BLACK, linestyle="--", linewidth=0.6)
            ax.text(i, 0, " did not load", rotation=90, fontsize=7, va="bottom", ha="center")
    ax.set_xticks(range(len(points)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("Actions")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()
