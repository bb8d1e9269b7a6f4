"""The chart of the group's last 12 weeks for /group report.

The chart is drawn with matplotlib's object-oriented API on the Agg canvas (no pyplot and its
global state), in a worker thread, so the event loop never waits for it.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

import discord

if TYPE_CHECKING:
    from matplotlib.artist import Artist

from bot.content import LOCALES, Content, supported_locale
from bot.i18n import _, current_locale
from bot.store import Store
from cogs.group.history import Week, history

WIDTH_PX, HEIGHT_PX, DPI = 1200, 700, 100
FILENAME = "linkwise-group-chart.png"
NAME_SHOWN = 40  # characters of the server's name in the title, at most

BAR_COLOUR = "#0A66C2"  # LinkedIn blue, as the report's embed
LINE_COLOUR = "#C2410C"  # a deep orange: high contrast with the blue and with white
INK = "#1F2328"
GRID = "#D0D7DE"


# ---------------------------------------------------------------------- the chart
_render_lock = threading.Lock()  # matplotlib's font cache and text layout are shared per process


def drawable(text: str) -> str:
    """``text`` without the characters the chart's font cannot draw (emoji, most scripts beyond
    Latin, Greek and Cyrillic), so a server's name never shows as empty boxes."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    kept = "".join(ch for ch in text if ch.isspace() or font.get_char_index(ord(ch)))
    return " ".join(kept.split())


def week_label(start: date) -> str:
    """The day and the month's short name in the current locale ("5\nJan", "5\njanv.")."""
    from babel.dates import format_date

    month = format_date(start, "MMM", locale=LOCALES[supported_locale(current_locale()) or "en"])
    return f"{start.day}\n{month}"


def render_chart(server_name: str, weeks: Sequence[Week]) -> bytes:
    """The chart as PNG bytes (1200 × 700): members active each week as bars, the average
    checklist completion at each week's end as a line on a percent axis. Large type, high
    contrast and dates under the bars, so it reads on a phone. Pure and thread-safe."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    with _render_lock:
        name = drawable(server_name) or _("your server")
        if len(name) > NAME_SHOWN:  # a long name would run off the image
            name = name[: NAME_SHOWN - 1].rstrip() + "…"
        figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
        canvas = FigureCanvasAgg(figure)
        axes = figure.add_axes((0.08, 0.22, 0.8, 0.6))
        positions = list(range(len(weeks)))
        actives = [w.active for w in weeks]
        bars = axes.bar(positions, actives, width=0.66, color=BAR_COLOUR, label=_("Members active that week"), zorder=2)
        top = max([*actives, 1])
        axes.set_ylim(0, top * 1.22)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        for bar, value in zip(bars, actives, strict=True):
            if not value:
                continue
            inside = value >= top * 0.18  # the count sits inside a tall bar, above a short one
            axes.annotate(
                str(value),
                (bar.get_x() + bar.get_width() / 2, value),
                xytext=(0, -6 if inside else 4),
                textcoords="offset points",
                ha="center",
                va="top" if inside else "bottom",
                fontsize=17,
                color="white" if inside else INK,
                fontweight="bold",
                zorder=4,
            )
        axes.set_xticks(positions, [week_label(w.start) for w in weeks], fontsize=16, color=INK)
        axes.tick_params(axis="y", labelsize=17, colors=INK)
        axes.set_xlabel(_("Week starting (Monday, UTC)"), fontsize=18, color=INK, labelpad=8)
        axes.set_ylabel(_("Members active"), fontsize=19, color=BAR_COLOUR, fontweight="bold")
        axes.grid(axis="y", color=GRID, linewidth=1, zorder=0)
        axes.set_xlim(-0.6, len(weeks) - 0.4)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)

        line_axes = axes.twinx()
        points = [(p, w.completion) for p, w in zip(positions, weeks, strict=True) if w.completion is not None]
        if points:
            xs, ys = zip(*points, strict=True)
            line_axes.plot(
                xs,
                ys,
                color=LINE_COLOUR,
                linewidth=4,
                marker="o",
                markersize=10,
                zorder=3,
                label=_("Average checklist completion at week's end (now {percent}%)", percent=format(ys[-1], ".0f")),
            )
        line_axes.set_ylim(0, 100)
        line_axes.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        line_axes.tick_params(axis="y", labelsize=17, colors=LINE_COLOUR)
        line_axes.set_ylabel(_("Average completion"), fontsize=19, color=LINE_COLOUR, fontweight="bold")
        line_axes.spines["top"].set_visible(False)

        title = figure.text(
            0.5,
            0.955,
            _("{name}: group progress, last {weeks} weeks", name=name, weeks=len(weeks)),
            ha="center",
            va="top",
            fontsize=26,
            fontweight="bold",
            color=INK,
            parse_math=False,
        )
        width = title.get_window_extent(renderer=canvas.get_renderer()).width
        if width > WIDTH_PX * 0.96:  # a wide name: smaller type rather than cut off
            title.set_fontsize(26 * WIDTH_PX * 0.96 / width)
        # legend() draws a BarContainer as its bars, though its stubs name only Artists.
        handles = cast("list[Artist]", [bars, *line_axes.get_lines()])
        figure.legend(
            handles,
            [str(h.get_label()) for h in handles],
            loc="upper center",
            bbox_to_anchor=(0.5, 0.895),
            ncols=2,
            fontsize=16,
            frameon=False,
        )
        figure.text(
            0.5,
            0.02,
            _("Counsellors are not counted. This week's completion is as of today."),
            ha="center",
            va="bottom",
            fontsize=14,
            color="#57606A",
        )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
        return buffer.getvalue()


async def chart_file(content: Content, store: Store, guild: discord.Guild, now: datetime) -> discord.File:
    """The chart of ``guild``'s last 12 weeks as an attachment, drawn off the event loop."""
    weeks = await history(content, store, guild.id, now)
    png = await asyncio.to_thread(render_chart, guild.name, weeks)
    return discord.File(io.BytesIO(png), filename=FILENAME)
