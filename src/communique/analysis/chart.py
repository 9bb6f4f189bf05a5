"""A trend as a chart: stacked bars of events by quad class, the cooperation–conflict index as a line.

matplotlib is imported inside `plot` (Agg backend), so that nothing else pays for it. The output is
deterministic: no creation date in the metadata, and a fixed SVG id salt; SVG text stays text.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import BinaryIO

from communique.analysis.trends import Trends
from communique.errors import ConfigError

FORMATS = (".png", ".svg")
_COLOURS = ("#7fbf7b", "#1b7837", "#f4a582", "#b2182b")
_LABELS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")


def plot(trend: Trends, path: Path) -> Path:
    """Write `trend` as a PNG or SVG chart (by the suffix of `path`); coarse rows are hatched.

    Raises:
        ConfigError: E540 for a suffix other than .png or .svg.
    """
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ConfigError(f"E540 {path}: a chart is written as {' or '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        draw(trend, out, suffix[1:])
    return path


def draw(trend: Trends, out: BinaryIO, fmt: str) -> None:
    """Draw `trend` into `out` as "png" or "svg"."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context({"svg.hashsalt": "communique", "svg.fonttype": "none"}):
        width = min(16.0, max(6.0, 0.45 * len(trend.periods) + 2))
        fig, bars = plt.subplots(figsize=(width, 4.5), layout="constrained")
        xs = range(len(trend.periods))
        bottom = [0] * len(trend.periods)
        hatch = ["//" if p.coarse else "" for p in trend.periods]
        for quad, (colour, name) in enumerate(zip(_COLOURS, _LABELS, strict=True)):
            heights = [p.tally.quads[quad] for p in trend.periods]
            bars.bar(xs, heights, bottom=bottom, color=colour, label=name, hatch=hatch, edgecolor="white")
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        step = 1 + len(xs) // 36  # at most about 36 labels, so that they stay legible
        bars.set_xticks(list(xs)[::step], [p.period for p in trend.periods][::step], rotation=60 if len(xs) > 6 else 0)
        bars.set_ylabel("consolidated events")
        bars.set_ylim(0, max([*bottom, 1]) * 1.1)
        bars.yaxis.set_major_locator(MaxNLocator(integer=True))
        line = bars.twinx()
        index = [math.nan if p.tally.index is None else p.tally.index for p in trend.periods]
        line.plot(xs, index, color="black", marker="o", label="cooperation–conflict index")
        line.set_ylim(-1.05, 1.05)
        line.axhline(0, color="grey", linewidth=0.5)
        line.set_ylabel("index (−1 conflict … +1 cooperation)")
        # Plain patches: the bars' own handles would carry the hatching of a coarse first row.
        patches = [Patch(facecolor=c, label=n) for c, n in zip(_COLOURS, _LABELS, strict=True)]
        handles = [*patches, *line.get_legend_handles_labels()[0]]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize="small")
        bars.set_title(f"{trend.title}: events by {trend.by}" + (" (hatched: dated coarsely)" if any(hatch) else ""))
        fig.savefig(out, format=fmt, metadata={"Title": trend.title, "Date": None})
        plt.close(fig)
