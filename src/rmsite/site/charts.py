"""Chart geometry: data in, coordinates out, for server-rendered SVG charts.

Pure functions returning frozen dataclasses (scales, ticks, points, path
data). The SVG markup is written by the theme's `charts.html` macros, so a
site can restyle or replace it without touching the arithmetic here."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

# Pixel sizes of the drawing space (SVG user units); the page scales the SVG to its width.
WIDTH = 400
TRACK_HEIGHT = 180
CHAR_WIDTH = 7.0  # a generous average width of a 12px digit or letter, for margins
ROW_LABEL = 16  # height of a row's label line in bar and score charts
ROW_BAR = 14
ROW_GAP = 12


@dataclass(frozen=True)
class Scale:
    """A linear map from the data interval lo..hi to the pixel interval start..end."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.hi == self.lo:
            return (self.start + self.end) / 2
        return self.start + (value - self.lo) / (self.hi - self.lo) * (self.end - self.start)


@dataclass(frozen=True)
class Box:
    """The plot area inside the margins."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Tick:
    at: float  # pixel position along its axis
    label: str


def number_label(value: float) -> str:
    """12.0 as 12, 2.5 as 2.5, without float noise such as 0.30000000000000004."""
    rounded = round(value, 6)
    return f"{rounded:g}" if rounded != 0 else "0"


def nice_step(raw: float) -> float:
    """The smallest of 1, 2, 5 or 10 times a power of ten that is at least `raw`."""
    if raw <= 0:
        return 1.0
    magnitude: float = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw * (1 - 1e-9):
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover  (the loop always returns)


def nice_ticks(lo: float, hi: float, count: int = 4) -> tuple[float, ...]:
    """Round tick values covering lo..hi in about `count` steps; the first and last bound the axis."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    step = nice_step((hi - lo) / count)
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    steps = round((last - first) / step)
    return tuple(round(first + i * step, 10) for i in range(steps + 1))


def path(points: Sequence[tuple[float, float]]) -> str:
    """SVG path data through the points: 'M x y L x y …', or '' for none."""
    return " ".join(f"{'L' if i else 'M'}{x:.1f} {y:.1f}" for i, (x, y) in enumerate(points))


def month_label(day: dt.date, with_year: bool) -> str:
    return f"{day:%b %Y}" if with_year else f"{day:%b}"


def date_ticks(first: dt.date, last: dt.date, most: int = 5) -> tuple[dt.date, ...]:
    """Month starts within first..last, thinned to at most `most`; the two ends when none fit."""
    start = first.year * 12 + first.month - 1 + (first.day > 1)  # the first month start on or after `first`
    count = last.year * 12 + last.month - 1 - start + 1  # month starts up to `last`: counted, not walked
    if count < 2:  # (a plan running to the year 9999 has 95,000 of them)
        return (first, last) if last > first else (first,)
    every = math.ceil(count / most)
    return tuple(dt.date(month // 12, month % 12 + 1, 1) for month in range(start, start + count, every))


# --- progress over time against the plan -------------------------------------

@dataclass(frozen=True)
class ChartPoint:
    """A progress entry placed on the chart; `counted` is false after the as-of date."""

    x: float
    y: float
    date: dt.date
    value: float
    note: str
    counted: bool


@dataclass(frozen=True)
class TrackChart:
    """A goal's (or objective's) entries over time, against the straight line from the
    baseline at the start to the target at the due date, with the as-of date marked."""

    width: float
    height: float
    plot: Box
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    plan: tuple[float, float, float, float]  # x1, y1 (baseline at start), x2, y2 (target at due)
    target_y: float
    actual: str  # path through the counted entries, from the baseline at the start
    later: str  # path on from there through entries dated after as_of
    points: tuple[ChartPoint, ...]
    as_of_x: float
    as_of_anchor: str  # "start" or "end": which way the as-of label runs from its line
    due_x: float


def track_chart(start: dt.date, due: dt.date, baseline: float, target: float,
                entries: Sequence[tuple[dt.date, float, str]], as_of: dt.date,
                width: float = WIDTH, height: float = TRACK_HEIGHT) -> TrackChart:
    """Geometry of a progress chart. The time axis covers the start, the due date,
    every entry and the as-of date; the value axis covers baseline, target and
    every value, widened to round ticks. Falling targets draw a falling plan line."""
    dates = [start, due, as_of] + [d for d, _, _ in entries]
    first, last = min(dates), max(dates)
    if last == first:  # a day's width, inside the calendar even at its last day
        first, last = (first, first + dt.timedelta(days=1)) if first < dt.date.max else (first - dt.timedelta(days=1), first)
    values = [baseline, target] + [v for _, v, _ in entries]
    y_values = nice_ticks(min(values), max(values))
    y_labels = [number_label(v) for v in y_values]
    left = 10 + CHAR_WIDTH * max(len(label) for label in y_labels)
    plot = Box(left, 18, width - 14, height - 24)
    x = Scale(first.toordinal(), last.toordinal(), plot.left, plot.right)
    y = Scale(y_values[0], y_values[-1], plot.bottom, plot.top)

    def at(day: dt.date) -> float:
        return x(day.toordinal())

    points = tuple(ChartPoint(at(d), y(v), d, v, note, d <= as_of) for d, v, note in entries)
    counted = [(p.x, p.y) for p in points if p.counted]
    anchor = [(at(start), y(baseline))] if not entries or entries[0][0] > start else []
    actual = anchor + counted if counted else []
    later = [(p.x, p.y) for p in points if not p.counted]
    later_from = (actual[-1:] if actual else anchor) if later else []
    x_ticks = tuple(Tick(at(d), month_label(d, i == 0 or d.month == 1) if d.day == 1 else f"{d.day} {d:%b}")
                    for i, d in enumerate(date_ticks(first, last)))
    as_of_x = at(as_of)
    return TrackChart(
        width=width, height=height, plot=plot, x_ticks=x_ticks,
        y_ticks=tuple(Tick(y(v), label) for v, label in zip(y_values, y_labels)),
        plan=(at(start), y(baseline), at(due), y(target)), target_y=y(target),
        actual=path(actual), later=path(later_from + later), points=points,
        as_of_x=as_of_x, as_of_anchor="end" if as_of_x > plot.left + plot.width * 0.7 else "start",
        due_x=at(due),
    )


# --- horizontal bars ----------------------------------------------------------

@dataclass(frozen=True)
class BarRow:
    """One labelled bar: the label sits on its own line above the bar."""

    key: str  # a class name for styling, such as a status
    label: str
    value: float | None  # None: nothing to draw (the text says why)
    text: str  # the value as read, after the bar
    label_y: float  # baseline of the label text
    bar_y: float  # top of the bar
    bar_width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    left: float
    right: float
    bar_height: float
    rows: tuple[BarRow, ...]
    ticks: tuple[Tick, ...]  # along the value axis, drawn as faint guide lines
    reference: Tick | None  # a marked value, such as 100% compliance


def bar_chart(rows: Sequence[tuple[str, str, float | None, str]], maximum: float,
              ticks: Sequence[tuple[float, str]] = (), reference: tuple[float, str] | None = None,
              width: float = WIDTH) -> BarChart:
    """Bars from 0 to each value on a shared scale of 0..maximum (at least the largest
    value). Each row is (key, label, value, text); room is kept right of the bars for text."""
    largest = max([maximum] + [v for _, _, v, _ in rows if v is not None])
    left, right = 4.0, width - 96
    scale = Scale(0, largest if largest > 0 else 1, left, right)
    step = ROW_LABEL + ROW_BAR + ROW_GAP
    bars = []
    for index, (key, label, value, text) in enumerate(rows):
        top = 4 + index * step
        bar_width = max(scale(value) - left, 0.0) if value is not None else 0.0
        if value:
            bar_width = max(bar_width, 2.0)  # a small value stays visible
        bars.append(BarRow(key, label, value, text, top + 12, top + ROW_LABEL, bar_width,
                           left + bar_width + 6))
    height = 4 + len(rows) * step + (14 if ticks or reference else 0)
    return BarChart(width, height, left, right, ROW_BAR, tuple(bars),
                    tuple(Tick(scale(v), label) for v, label in ticks),
                    Tick(scale(reference[0]), reference[1]) if reference else None)


# --- scores before, during and after ------------------------------------------

STAGES = ("before", "during", "after")


@dataclass(frozen=True)
class StageMark:
    stage: str
    value: float
    x: float


@dataclass(frozen=True)
class ScoreRow:
    """One score name: its mean at each stage on a shared 1..5 axis."""

    name: str
    label_y: float
    line_y: float
    marks: tuple[StageMark, ...]  # in stage order, only stages with scores
    arrow: tuple[float, float] | None  # x of the before and after means, when both exist
    change: float | None


@dataclass(frozen=True)
class ScoreChart:
    width: float
    height: float
    left: float
    right: float
    ticks: tuple[Tick, ...]
    rows: tuple[ScoreRow, ...]


def score_chart(rows: Sequence[tuple[str, float | None, float | None, float | None]],
                lowest: int = 1, highest: int = 5, width: float = WIDTH) -> ScoreChart:
    """Each row is (name, before mean, during mean, after mean); an arrow runs from
    before to after where both exist."""
    left, right = 16.0, width - 16
    scale = Scale(lowest, highest, left, right)
    step = ROW_LABEL + ROW_BAR + ROW_GAP
    built = []
    for index, (name, *means) in enumerate(rows):
        top = 4 + index * step
        marks = tuple(StageMark(stage, mean, scale(mean)) for stage, mean in zip(STAGES, means)
                      if mean is not None)
        before, after = means[0], means[2]
        built.append(ScoreRow(name, top + 12, top + ROW_LABEL + ROW_BAR / 2, marks,
                              (scale(before), scale(after)) if before is not None and after is not None else None,
                              after - before if before is not None and after is not None else None))
    height = 4 + len(rows) * step + 16
    return ScoreChart(width, height, left, right,
                      tuple(Tick(scale(v), str(v)) for v in range(lowest, highest + 1)), tuple(built))
