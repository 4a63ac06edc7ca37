"""The results charts: one round's clause scores (web results page and gap report) and rounds side by side."""

from __future__ import annotations

import functools
import importlib.util
import io
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assess.core.questionnaire import Questionnaire
from assess.core.scoring import PREVIOUS, AssessmentResult

BAR = "#1F3864"  # dark: prints as near-black in grayscale
TRACK = "#E7EBF3"
TARGET = "#000000"
FORMATS = ("svg", "png")
RC_PARAMS = {"svg.hashsalt": "assess", "svg.fonttype": "path", "font.family": "DejaVu Sans"}


def clause_chart(
    questionnaire: Questionnaire,
    result: AssessmentResult,
    fmt: str = "svg",
    edition: str = "current",
) -> bytes:
    """Return a horizontal bar chart of the top-level clauses' scores (0-100 %) with the target line.

    `fmt` is "svg" (deterministic: fixed hash salt, no date) or "png" (160 dpi); `edition` is
    "current" or "previous" (the previous edition's clause numbers). A clause without a score
    shows "not scored". Raises ValueError for another format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    import matplotlib
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    clauses = [c for c in (result.previous_clauses if edition == PREVIOUS else result.clauses) if c.depth == 0]
    labels = ["\n".join(textwrap.wrap(f"{c.ref}  {c.title}", 34)) for c in clauses]
    scores = [c.score or 0.0 for c in clauses]
    target = result.target * 25

    # Set, never swapped back and forth: rc_context would change global state under other threads.
    matplotlib.rcParams.update(RC_PARAMS)  # type: ignore[arg-type]
    figure = Figure(figsize=(6.6, 0.5 + 0.5 * max(len(clauses), 1)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(clauses)))
    axes.barh(rows, [100] * len(clauses), color=TRACK, height=0.62, zorder=1)
    axes.barh(rows, scores, color=BAR, height=0.62, zorder=2)
    for row, clause in zip(rows, clauses, strict=True):
        text = "not scored" if clause.score is None else f"{clause.score:.0f} %"
        inside = clause.score is not None and clause.score >= 18
        axes.text(
            (clause.score or 0) - 1.5 if inside else (clause.score or 0) + 1.5,
            row,
            text,
            va="center",
            ha="right" if inside else "left",
            color="white" if inside else "#262626",
            fontsize=8.5,
            zorder=4,
        )
    bottom = len(clauses) - 0.5
    line = axes.vlines(target, -0.55, bottom, color=TARGET, linestyles=(0, (4, 2)), linewidth=1.2, zorder=3)
    line.set_path_effects([patheffects.withStroke(linewidth=3, foreground="white")])  # visible on dark bars
    axes.text(target, -0.62, f"target {target} %", ha="center", va="bottom", fontsize=8, color=TARGET)
    axes.set_yticks(rows, labels)
    axes.set_xlim(0, 100)
    axes.set_ylim(bottom, -1.05)  # top to bottom in clause order
    axes.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100 %"])
    axes.tick_params(axis="y", length=0, labelsize=9)
    axes.tick_params(axis="x", labelsize=8, colors="#404040")
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color("#808080")
    # Fixed margins instead of tight_layout, which costs a whole extra draw.
    height = figure.get_figheight()
    figure.subplots_adjust(left=0.385, right=0.95, top=1 - 0.08 / height, bottom=0.38 / height)
    return _save(figure, fmt)


ROUND_SHADES = ("#B4BFD1", "#7A8CAD", "#4A6190", "#1F3864")  # light to dark: the latest round is darkest
ROUND_HATCHES = ("////", "....", "\\\\\\\\", "xxx")  # a second cue besides the shade; the latest round is plain


def rounds_chart(
    questionnaire: Questionnaire,
    rounds: Sequence[tuple[str, AssessmentResult]],
    fmt: str = "svg",
) -> bytes:
    """Return a horizontal grouped bar chart of the top-level clauses' scores in each round.

    `rounds` are (title, result) pairs, oldest first; each clause gets one bar per round, labelled
    with its score, in shades from light (oldest) to dark (latest) with hatching, so the chart
    reads in grayscale. Deterministic like `clause_chart`; raises ValueError for another format
    or no rounds.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if not rounds:
        raise ValueError("a rounds chart needs at least one round")
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    tops = list(questionnaire.clauses)
    labels = ["\n".join(textwrap.wrap(f"{c.ref}  {c.title}", 34)) for c in tops]
    count = len(rounds)
    bar = min(0.36, 0.8 / count)
    shades = _round_styles(count)

    matplotlib.rcParams.update(RC_PARAMS)  # type: ignore[arg-type]
    figure = Figure(figsize=(6.6, 0.9 + len(tops) * (0.22 + bar * count * 0.62)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for index, ((title, result), (shade, hatch)) in enumerate(zip(rounds, shades, strict=True)):
        offset = (index - (count - 1) / 2) * bar
        rows = [row + offset for row in range(len(tops))]
        scores = [result.clause(c.ref).score for c in tops]
        axes.barh(
            rows,
            [s or 0.0 for s in scores],
            height=bar * 0.92,
            color=shade,
            hatch=hatch,
            edgecolor="#1F3864",
            linewidth=0.6,
            label=textwrap.shorten(title, 40, placeholder="\u2026"),
            zorder=2,
        )
        for row, score in zip(rows, scores, strict=True):
            text = "not scored" if score is None else f"{score:.0f} %"
            axes.text((score or 0) + 1.2, row, text, va="center", ha="left", color="#262626", fontsize=7.5, zorder=4)
    axes.set_yticks(list(range(len(tops))), labels)
    axes.set_xlim(0, 108)
    axes.set_ylim(len(tops) - 0.5, -0.5)  # top to bottom in clause order
    axes.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100 %"])
    axes.xaxis.grid(True, color="#E0E0E0", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", length=0, labelsize=9)
    axes.tick_params(axis="x", labelsize=8, colors="#404040")
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color("#808080")
    height = figure.get_figheight()
    axes.legend(
        loc="lower left",
        bbox_to_anchor=(-0.6, 1.0),
        ncols=min(count, 3),
        frameon=False,
        fontsize=8.5,
        handlelength=2.2,
        reverse=False,
    )
    figure.subplots_adjust(
        left=0.385, right=0.97, top=1 - (0.3 + 0.2 * ((count - 1) // 3)) / height, bottom=0.38 / height
    )
    return _save(figure, fmt)


def _round_styles(count: int) -> list[tuple[str, str]]:
    """Return (shade, hatch) per round, oldest first, always ending with the darkest."""
    if count >= len(ROUND_SHADES):
        picks = [min(len(ROUND_SHADES) - 1, i * len(ROUND_SHADES) // count) for i in range(count)]
    else:
        picks = list(range(len(ROUND_SHADES) - count, len(ROUND_SHADES)))
        if count == 2:
            picks = [0, len(ROUND_SHADES) - 1]  # two rounds: the lightest against the darkest
    picks[-1] = len(ROUND_SHADES) - 1
    hatches = [ROUND_HATCHES[i % len(ROUND_HATCHES)] for i in range(count - 1)] + [""]
    return [(ROUND_SHADES[p], hatch) for p, hatch in zip(picks, hatches, strict=True)]


def _save(figure: Any, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    else:
        figure.savefig(buffer, format="png", dpi=160, metadata={"Software": None})
    return buffer.getvalue()


# --- the chart for Word, drawn directly (a tenth of matplotlib's time) ------------------------------

PNG_DPI = 160
_SUPERSAMPLE = 1  # every shape is upright, so nothing needs antialiasing but the text, which Pillow smooths itself


@functools.lru_cache(maxsize=4)
def _font(bold: bool, pixels: int) -> Any:
    from PIL import ImageFont

    folder = Path(importlib.util.find_spec("matplotlib").origin or "").parent / "mpl-data" / "fonts" / "ttf"  # type: ignore[union-attr]
    return ImageFont.truetype(str(folder / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), pixels)


def clause_chart_png(questionnaire: Questionnaire, result: AssessmentResult, edition: str = "current") -> bytes:
    """Return the chart of `clause_chart` as a PNG (160 dpi) drawn with Pillow: the same bars, labels,
    target line and ticks, in a few milliseconds, byte for byte the same for the same scores."""
    from PIL import Image, ImageDraw

    clauses = [c for c in (result.previous_clauses if edition == PREVIOUS else result.clauses) if c.depth == 0]
    s = PNG_DPI * _SUPERSAMPLE / 72  # pixels per point
    width = round(6.6 * 72 * s)
    height = round((0.5 + 0.5 * max(len(clauses), 1)) * 72 * s)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    label_font, small_font, value_font = (
        _font(False, round(9 * s)),
        _font(False, round(8 * s)),
        _font(False, round(8.5 * s)),
    )
    left, right = round(width * 0.385), round(width * 0.95)
    top, bottom = round(0.08 * 72 * s), height - round(0.38 * 72 * s)
    span = bottom - top
    rows = max(len(clauses), 1)
    # matplotlib's y limits were (rows - 0.5) down to -1.05: one row of room above the first bar
    unit = span / (rows - 0.5 + 1.05)

    def y_of(row: float) -> float:
        return top + (row + 1.05) * unit

    def x_of(value: float) -> float:
        return left + (right - left) * value / 100

    bar = 0.62 * unit
    for row, clause in enumerate(clauses):
        middle = y_of(row)
        draw.rectangle([x_of(0), middle - bar / 2, x_of(100), middle + bar / 2], fill=TRACK)
        if clause.score:
            draw.rectangle([x_of(0), middle - bar / 2, x_of(clause.score), middle + bar / 2], fill=BAR)
        text = "not scored" if clause.score is None else f"{clause.score:.0f} %"
        inside = clause.score is not None and clause.score >= 18
        anchor_x = x_of((clause.score or 0) - 1.5) if inside else x_of((clause.score or 0) + 1.5)
        draw.text(
            (anchor_x, middle),
            text,
            font=value_font,
            fill="white" if inside else "#262626",
            anchor="rm" if inside else "lm",
        )
        lines = textwrap.wrap(f"{clause.ref}  {clause.title}", 34)
        line_height = round(11 * s)
        first = middle - (len(lines) - 1) * line_height / 2
        for index, line in enumerate(lines):
            draw.text(
                (left - round(4 * s), first + index * line_height), line, font=label_font, fill="#262626", anchor="rm"
            )
    target = result.target * 25
    dash, gap = round(4 * 1.2 * s), round(2 * 1.2 * s)
    y = y_of(-0.55)
    line_width = max(1, round(1.2 * s))
    while y < y_of(rows - 0.5):
        end = min(y + dash, y_of(rows - 0.5))
        draw.rectangle([x_of(target) - 1.5 * line_width, y, x_of(target) + 1.5 * line_width, end], fill="white")
        draw.rectangle([x_of(target) - line_width / 2, y, x_of(target) + line_width / 2, end], fill=TARGET)
        y = end + gap
    draw.text((x_of(target), y_of(-0.62)), f"target {target} %", font=small_font, fill=TARGET, anchor="mb")
    draw.line([x_of(0), bottom, x_of(100), bottom], fill="#808080", width=max(1, round(0.8 * s)))
    for tick in (0, 20, 40, 60, 80, 100):
        draw.line(
            [x_of(tick), bottom, x_of(tick), bottom + round(3.5 * s)], fill="#808080", width=max(1, round(0.8 * s))
        )
        label = "100 %" if tick == 100 else str(tick)
        draw.text((x_of(tick), bottom + round(5 * s)), label, font=small_font, fill="#404040", anchor="mt")
    if _SUPERSAMPLE > 1:
        image = image.resize((width // _SUPERSAMPLE, height // _SUPERSAMPLE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6, dpi=(PNG_DPI, PNG_DPI))
    return buffer.getvalue()
