"""A procedure's flowchart: laid out by grandalf's layered (Sugiyama) layout, drawn as SVG (issue 21 part 1).

Nothing is positioned by hand. Each step between two states becomes a label box of its own in the graph
(state → step → state), so the layout keeps room for who may take it and its deadline. The SVG carries
classes only (no style attribute, no script: the Content Security Policy stays strict); the page styles it
with static/procedures/chart.css, and the PNG and PDF (cairosvg) read the same file, so the wall, Word
and the page show one drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _
from grandalf.graphs import Edge as GEdge
from grandalf.graphs import Graph, Vertex
from grandalf.layouts import SugiyamaLayout

from .data import Procedure

CSS_FILE = Path(__file__).parent / "static" / "procedures" / "chart.css"
STATE_FONT, STEP_FONT, PAD, MARGIN = 15, 12, 12, 16


@dataclass
class Box:
    key: str
    lines: tuple[str, ...]
    kind: str  # "state" or "step"
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    classes: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()  # a step box: the transitions it stands for
    pair: tuple[str, str] = ("", "")


@dataclass
class Line:
    points: list[tuple[float, float]]
    steps: tuple[str, ...]
    pair: tuple[str, str]
    arrow: bool


@dataclass
class Chart:
    procedure: Procedure
    boxes: list[Box]
    lines: list[Line]
    width: float
    height: float
    loops: list[Box] = field(default_factory=list)


class _View:
    def __init__(self, w, h):
        self.w, self.h, self.xy = w, h, (0, 0)


class _EdgeView:
    def __init__(self):
        self.points: list = []

    def setpath(self, pts):
        self.points = [tuple(p) for p in pts]


def _size(lines, font) -> tuple[float, float]:
    width = max(sum(1.0 if ord(c) > 0x2E80 else 0.6 for c in line) for line in lines) * font
    return width + 2 * PAD, len(lines) * font * 1.35 + PAD


def step_lines(edges) -> tuple[str, ...]:
    """A step box's text: each step's name, who may take it, and the deadline where it leads."""
    out: list[str] = []
    for e in edges:
        out.append(e.label)
        if e.who_text:
            out.append(_("由：%(who)s") % {"who": e.who_text})
        if e.deadline and e.deadline.text:
            out.append(_("时限：%(d)s") % {"d": e.deadline.text})
    return tuple(out)


def _boxes(proc: Procedure) -> tuple[list[Box], list[Box], dict]:
    states = []
    for n in proc.nodes:
        end = _("（办结）") if proc.group == "item" else _("（结束）")
        lines = (n.label,) if not n.final else (n.label, end)
        classes = ("initial",) if n.initial else ("final",) if n.final else ()
        states.append(Box(n.key, lines, "state", classes=classes))
    pairs: dict[tuple[str, str], list] = {}
    for e in proc.edges:
        for s in e.sources:
            pairs.setdefault((s, e.target), []).append(e)
    steps, loops = [], []
    for i, ((s, t), edges) in enumerate(pairs.items()):
        box = Box(f"step{i}", step_lines(edges), "step", steps=tuple(e.key for e in edges), pair=(s, t))
        (loops if s == t else steps).append(box)
    return states, steps + loops, pairs


@lru_cache(maxsize=256)
def _cached(proc: Procedure) -> Chart:
    states, step_boxes, _pairs = _boxes(proc)
    for b in states:
        b.w, b.h = _size(b.lines, STATE_FONT)
    for b in step_boxes:
        b.w, b.h = _size(b.lines, STEP_FONT)
    vertex = {b.key: Vertex(b.key) for b in [*states, *step_boxes]}
    by_key = {b.key: b for b in [*states, *step_boxes]}
    for k, v in vertex.items():
        v.view = _View(by_key[k].w, by_key[k].h)
    gedges = []
    for b in step_boxes:
        s, t = b.pair
        if s == t:  # a step that stays in its state sits beside it
            gedges.append((GEdge(vertex[s], vertex[b.key]), b, False))
            continue
        gedges.append((GEdge(vertex[s], vertex[b.key]), b, False))
        gedges.append((GEdge(vertex[b.key], vertex[t]), b, True))
    for e, _b, _a in gedges:
        e.view = _EdgeView()
    graph = Graph(list(vertex.values()), [e for e, _b, _a in gedges])
    initial = {n.key for n in proc.nodes if n.initial}
    offset_x = 0.0
    for comp in graph.C:
        layout = SugiyamaLayout(comp)
        layout.xspace, layout.yspace = 24, 28
        roots = [v for v in comp.sV if v.data in initial] or None
        layout.init_all(roots=roots)
        layout.draw()
        xs = [v.view.xy[0] - v.view.w / 2 for v in comp.sV]
        shift = offset_x - min(xs)
        for v in comp.sV:
            v.view.xy = (v.view.xy[0] + shift, v.view.xy[1])
        for e in comp.sE:
            e.view.points = [(x + shift, y) for x, y in e.view.points]
        offset_x = max(v.view.xy[0] + v.view.w / 2 for v in comp.sV) + 40
    for k, v in vertex.items():
        b = by_key[k]
        b.x, b.y = v.view.xy[0] - b.w / 2, v.view.xy[1] - b.h / 2
    # The drawing's extent: the boxes and the routed lines (a long edge may bend outside every box).
    points = [p for e, _b, _a in gedges for p in e.view.points]
    xs = [b.x for b in by_key.values()] + [x for x, _y in points]
    ys = [b.y for b in by_key.values()] + [y for _x, y in points]
    min_x, min_y = min(xs) - MARGIN, min(ys) - MARGIN
    for b in by_key.values():
        b.x, b.y = b.x - min_x, b.y - min_y
    lines = [
        Line([(x - min_x, y - min_y) for x, y in e.view.points], b.steps, b.pair, arrow)
        for e, b, arrow in gedges
    ]
    ends = [(b.x + b.w, b.y + b.h) for b in by_key.values()] + [p for line in lines for p in line.points]
    width = max(x for x, _y in ends) + MARGIN
    height = max(y for _x, y in ends) + MARGIN
    return Chart(proc, [*states, *step_boxes], lines, width, height)


def layout(proc: Procedure) -> Chart:
    return _cached(proc)


# --- drawing --------------------------------------------------------------------------------------------


def _clip(line: Line, boxes: dict[str, Box]) -> list[tuple[float, float]]:
    """The line from the edge of its first box to the edge of its last (the arrow touches the state)."""
    pts = list(line.points)
    if len(pts) < 2:
        return pts
    pts[0] = _border(boxes[line.pair[0]] if not line.arrow else None, pts[0], pts[1])
    pts[-1] = _border(boxes[line.pair[1]] if line.arrow else None, pts[-1], pts[-2])
    return pts


def _border(box: Box | None, p, toward):
    if box is None:
        return p
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return p
    scale = min(
        (box.w / 2) / abs(dx) if dx else float("inf"),
        (box.h / 2) / abs(dy) if dy else float("inf"),
    )
    return (cx + dx * scale, cy + dy * scale)


def _text(box: Box, font: int) -> str:
    out = []
    line_h = font * 1.35
    top = box.y + (box.h - line_h * len(box.lines)) / 2 + font
    for i, line in enumerate(box.lines):
        cls = "name" if i == 0 or box.kind == "state" else "detail"
        if box.kind == "step" and line and not line.startswith((_("由："), _("时限："))):
            cls = "name"
        x, y = box.x + box.w / 2, top + i * line_h
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}">{escape(line)}</text>')
    return "".join(out)


def render_svg(
    chart: Chart, *, uid: str = "c", current: str = "", visited=(), taken=(), css: bool = False
) -> str:
    """The chart as SVG. `current`: the item's state; `visited` the states it passed; `taken` the
    (from, to) pairs of its steps: drawn as its path. `css`: embed the stylesheet (for cairosvg only;
    a page links chart.css instead)."""
    boxes = {b.key: b for b in chart.boxes}
    visited, taken = set(visited), set(taken)
    title = escape(chart.procedure.label)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="proc-chart" viewBox="0 0 {chart.width:.0f} '
        f'{chart.height:.0f}" width="{chart.width:.0f}" height="{chart.height:.0f}" role="img" '
        f'aria-labelledby="{uid}-t"><title id="{uid}-t">{title}</title>'
    ]
    if css:
        parts.append(f"<style>{escape(CSS_FILE.read_text(encoding='utf-8'))}</style>")
    parts.append(
        f'<defs><marker id="{uid}-a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead"/></marker>'
        f'<marker id="{uid}-ah" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="arrowhead on"/></marker></defs>'
    )
    for line in chart.lines:
        on = line.pair in taken
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in _clip(line, boxes))
        marker = f' marker-end="url(#{uid}-{"ah" if on else "a"})"' if line.arrow else ""
        parts.append(f'<polyline points="{pts}" class="edge{" on" if on else ""}"{marker}/>')
    for b in chart.boxes:
        cls = [b.kind, *b.classes]
        if b.kind == "state" and b.key in visited:
            cls.append("on")
        if b.kind == "step" and b.pair in taken:
            cls.append("on")
        if b.kind == "state" and b.key == current:
            cls.append("current")
        data = (
            f" data-state={quoteattr(b.key)}"
            if b.kind == "state"
            else f" data-steps={quoteattr(' '.join(b.steps))}"
        )
        parts.append(f'<g class="{" ".join(cls)}"{data}>')
        rx = 8 if b.kind == "state" else 3
        parts.append(
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="{rx}" class="box"/>'
        )
        if "final" in b.classes:
            parts.append(
                f'<rect x="{b.x + 3:.1f}" y="{b.y + 3:.1f}" width="{b.w - 6:.1f}" height="{b.h - 6:.1f}" '
                f'rx="{rx - 2}" class="inner"/>'
            )
        parts.append(_text(b, STATE_FONT if b.kind == "state" else STEP_FONT))
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def png(chart: Chart, *, scale: float = 2.0, **highlight) -> bytes:
    """The same drawing as PNG (Word embeds it), through cairosvg and the system's cairo."""
    import cairosvg

    return cairosvg.svg2png(bytestring=render_svg(chart, css=True, **highlight).encode(), scale=scale)


def pdf(chart: Chart, **highlight) -> bytes:
    """The same drawing as a PDF page (cairosvg); the A4 sheet with its title is `papers.chart_pdf`."""
    import cairosvg

    return cairosvg.svg2pdf(bytestring=render_svg(chart, css=True, **highlight).encode())
