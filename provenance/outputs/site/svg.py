"""Server-side SVG for the site: graph drawings (laid out by `graph_layout`), a story's spread
over time, and bar charts. No script builds these; the site's script only pans, zooms and
filters them. Every label is escaped; node names for the find box go in `data-name`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from provenance.outputs.graph_layout import Layout
from provenance.outputs.site.chrome import esc

EDGE_COLOURS = {"credited": "#2e7d32", "uncredited": "#c62828", "same_outlet": "#00838f",
                "similar": "#ef6c00", "unresolved": "#9e9e9e", "cites": "#90a4d4"}
EDGE_LABELS = {"credited": "credited copy", "uncredited": "uncredited copy",
               "same_outlet": "copy by the same outlet", "similar": "similar (undirected)",
               "unresolved": "no verdict", "cites": "cites"}
PAD = 30.0
# The smallest viewBox of a drawing: the drawing box's shape at 1:1 on a wide screen.
MIN_W, MIN_H = 1100.0, 560.0
# The lowest drawing box (pixels), for a graph of two or three nodes.
MIN_BOX = 220.0
# Width of one label character at the labels' font size (points, roughly).
LABEL_CHAR = 6.0


@dataclass
class Node:
    """A node to draw: its label, tooltip, link, look."""

    key: str
    label: str
    title: str
    href: str | None = None
    css: str = "n-article"  # n-article | n-outlet | n-origin
    radius: float = 6.0
    colour: str = "#37474f"
    below: bool = False  # the label centred under the dot (else beside it)

    def box(self) -> tuple[float, float]:
        """The box (inches) a layout keeps free for the dot and a label beneath it."""
        return (max(2 * self.radius, LABEL_CHAR * len(self.label)) / 72 + 0.1,
                (2 * self.radius + 14) / 72)


@dataclass
class Edge:
    """An edge to draw, from `a` to `b`, of one class (a verdict, `similar` or `cites`)."""

    a: str
    b: str
    css: str
    title: str = ""
    width: float = 1.4
    extra: bool = False  # hidden until asked for ("all copy edges"): not the member's first copy


@dataclass
class Drawing:
    """Nodes and edges of one drawing."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    # The edges the layout follows (all drawn edges when None): a story's tree of first
    # copies keeps dot fast where every member also copies every other.
    skeleton: list[tuple[str, str]] | None = None

    def layout_edges(self) -> list[tuple[str, str]]:
        """The edges to lay the drawing out by."""
        if self.skeleton is not None:
            return self.skeleton
        return [(e.a, e.b) for e in self.edges]


def _arrow_defs(classes: list[str]) -> str:
    return "<defs>" + "".join(
        f"<marker id='ar-{c}' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='6' "
        f"markerHeight='6' orient='auto-start-reverse'><path d='M0,0L10,5L0,10z' "
        f"fill='{EDGE_COLOURS[c]}'/></marker>" for c in classes) + "</defs>"


def _edge(edge: Edge, pos: dict, radius: dict) -> str:
    (x1, y1), (x2, y2) = pos[edge.a], pos[edge.b]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    r2 = radius[edge.b] + 1.5
    x2, y2 = x2 - (x2 - x1) / length * r2, y2 - (y2 - y1) / length * r2
    dash = " stroke-dasharray='4 3'" if edge.css in ("similar", "cites") else ""
    marker = "" if edge.css in ("similar",) else f" marker-end='url(#ar-{edge.css})'"
    extra = " x-extra" if edge.extra else ""
    return (f"<line class='e e-{edge.css}{extra}' x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' "
            f"y2='{y2:.1f}' stroke='{EDGE_COLOURS[edge.css]}' stroke-width='{edge.width:.1f}'"
            f"{dash}{marker}><title>{esc(edge.title)}</title></line>")


def _node(node: Node, x: float, y: float, label_nodes: bool) -> str:
    circle = (f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{node.radius:.1f}' fill='{node.colour}'"
              f" stroke='#fff' stroke-width='1'><title>{esc(node.title)}</title></circle>")
    css = "olbl" if node.css == "n-outlet" else "lbl"
    where = (f"x='{x:.1f}' y='{y + node.radius + 11:.1f}' text-anchor='middle'" if node.below
             else f"x='{x + node.radius + 3:.1f}' y='{y + 3:.1f}'")
    text = (f"<text class='{css}' {where}>{esc(node.label)}</text>"
            if label_nodes or node.css == "n-outlet" else "")
    inner = circle + text
    if node.href:
        inner = f"<a href='{esc(node.href)}'>{inner}</a>"
    return (f"<g class='node {node.css}' data-name='{esc(node.label.lower())}'>"
            f"{inner}</g>")


def _frame(width: float, height: float) -> tuple[float, float, float]:
    """The viewBox around a drawing of this size and the box's height in pixels: a small
    graph keeps its scale in a lower box; a large one is shrunk into the tallest box."""
    box = min(MIN_H, max(MIN_BOX, height))
    width, height = max(width, MIN_W), max(height, box)
    if width / height > MIN_W / box:
        return width, width * box / MIN_W, box
    return height * MIN_W / box, height, box


def graph_svg(drawing: Drawing, layout: Layout, label_limit: int = 70) -> str:
    """The drawing as an SVG element with a viewBox (the site's script pans and zooms it)."""
    pos = {k: (x + PAD, y + PAD) for k, (x, y) in layout.positions.items()}
    nodes = [n for n in drawing.nodes if n.key in pos]
    radius = {n.key: n.radius for n in nodes}
    edges = [e for e in drawing.edges if e.a in pos and e.b in pos and e.a != e.b]
    classes = sorted({e.css for e in edges})
    width, height, box = _frame(layout.width + 2 * PAD + 160, layout.height + 2 * PAD)
    shift_x = (width - layout.width - 2 * PAD - 160) / 2
    shift_y = (height - layout.height - 2 * PAD) / 2
    pos = {k: (x + shift_x, y + shift_y) for k, (x, y) in pos.items()}
    label_nodes = sum(1 for n in nodes if n.css != "n-outlet") <= label_limit
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width:.0f} {height:.0f}' "
             f"preserveAspectRatio='xMidYMid meet' role='img' data-engine='{layout.engine}' "
             f"style='height:{box:.0f}px'>",
             _arrow_defs(classes), "<g class='edges'>"]
    parts += [_edge(e, pos, radius) for e in edges]
    parts.append("</g><g class='nodes'>")
    parts += [_node(n, *pos[n.key], label_nodes) for n in nodes]
    parts.append("</g></svg>")
    return "".join(parts)


def drawing_box(svg: str, edge_classes: list[str], many: bool, outlets: bool = True,
                extras: int = 0) -> str:
    """A drawing with its tools: zoom buttons, one check box per edge class, a find box, and
    (when some copy edges are extras) a box that shows them, unchecked."""
    boxes = "".join(
        f"<label><input type='checkbox' data-hide='{c}' checked> <span style='color:"
        f"{EDGE_COLOURS[c]}'>━</span> {esc(EDGE_LABELS[c])}</label>" for c in edge_classes)
    if outlets:
        boxes += "<label><input type='checkbox' data-hide='outlets' checked> outlets</label>"
    if extras:
        boxes += (f"<label><input type='checkbox' data-hide='extra'> all copy edges (+{extras:,})"
                  "</label>")
    tools = ("<div class='tools'><button type='button' data-zoom='in'>+</button>"
             "<button type='button' data-zoom='out'>−</button><button type='button' "
             f"data-zoom='reset'>reset</button> {boxes} <input type='search' data-find "
             "placeholder='find a node'> <span class='meta'>drag to pan, wheel to zoom"
             "</span></div>")
    return f"<div class='drawing{' many' if many else ''}'>{tools}{svg}</div>"


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def timeline_svg(points: list[tuple[str | None, str, str, str, str | None]],
                 lanes_max: int = 24) -> str:
    """A story's spread: one lane per outlet, a dot per article at its publication time
    (coloured by verdict), the cumulative count as a step line. `points` are
    (published, outlet name, verdict class, tooltip, href); undated articles are left out."""
    dated = [(_parse(p[0]), *p[1:]) for p in points]
    dated = sorted((p for p in dated if p[0] is not None), key=lambda p: p[0])
    if not dated:
        return "<p class='meta'>No member of this story has a publication date.</p>"
    lanes: list[str] = []
    for p in dated:
        if p[1] not in lanes and len(lanes) < lanes_max:
            lanes.append(p[1])
    t0, t1 = dated[0][0], dated[-1][0]
    span = max((t1 - t0).total_seconds(), 3600.0)
    left, width, row = 170.0, 760.0, 16.0
    height = 40 + row * (len(lanes) + (1 if len(lanes) < len({p[1] for p in dated}) else 0))

    def x(t: datetime) -> float:
        return left + (t - t0).total_seconds() / span * width

    parts = [f"<svg class='plot' xmlns='http://www.w3.org/2000/svg' viewBox='0 0 "
             f"{left + width + 20:.0f} {height + 24:.0f}' style='width:100%;max-height:"
             f"{height + 30:.0f}px' role='img' aria-label='spread over time'>"]
    for i, lane in enumerate(lanes):
        y = 30 + i * row
        parts.append(f"<text x='{left - 6:.0f}' y='{y + 3:.0f}' text-anchor='end'>"
                     f"{esc(lane[:28])}</text><line class='axis' x1='{left}' x2='"
                     f"{left + width}' y1='{y}' y2='{y}' stroke-opacity='.25'/>")
    if len(lanes) < len({p[1] for p in dated}):
        parts.append(f"<text x='{left - 6:.0f}' y='{30 + len(lanes) * row + 3:.0f}' "
                     "text-anchor='end'>other outlets</text>")
    steps, count = [], 0
    for t, outlet, css, title, href in dated:
        lane = lanes.index(outlet) if outlet in lanes else len(lanes)
        y, count = 30 + lane * row, count + 1
        steps.append(f"{x(t):.1f},{height - (count / len(dated)) * (height - 30):.1f}")
        dot = (f"<circle cx='{x(t):.1f}' cy='{y}' r='4.5' fill='{EDGE_COLOURS.get(css, '#6a1b9a')}'"
               f"><title>{esc(title)}</title></circle>")
        parts.append(f"<a href='{esc(href)}'>{dot}</a>" if href else dot)
    parts.append(f"<polyline points='{' '.join(steps)}' fill='none' stroke='#6a1b9a' "
                 "stroke-opacity='.35' stroke-width='1.5'/>")
    parts.append(f"<line class='axis' x1='{left}' x2='{left + width}' y1='{height}' "
                 f"y2='{height}'/>")
    for i in range(5):
        t = t0 + (t1 - t0) * i / 4
        parts.append(f"<text x='{x(t):.0f}' y='{height + 14:.0f}' text-anchor='middle'>"
                     f"{esc(t.strftime('%Y-%m-%d %H:%M'))}</text>")
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(rows: list[tuple[str, int]], colour: str = "#5c6bc0") -> str:
    """Horizontal bars: a label and a count per row, longest bar = largest count."""
    if not rows:
        return "<p class='meta'>Nothing to plot.</p>"
    top = max(v for _, v in rows) or 1
    row, left, width = 18, 200, 420
    parts = [f"<svg class='plot' xmlns='http://www.w3.org/2000/svg' viewBox='0 0 "
             f"{left + width + 70} {len(rows) * row + 6}' style='width:100%;max-width:760px' "
             "role='img'>"]
    for i, (label, value) in enumerate(rows):
        y, w = 3 + i * row, max(1.0, value / top * width)
        parts.append(f"<text x='{left - 6}' y='{y + 11}' text-anchor='end'>{esc(label[:34])}"
                     f"</text><rect x='{left}' y='{y}' width='{w:.1f}' height='{row - 5}' "
                     f"fill='{colour}'/><text x='{left + w + 4:.1f}' y='{y + 11}'>{value:,}"
                     "</text>")
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(days: list[tuple[str, int]]) -> str:
    """Articles per day as vertical bars, with the first and last day written under them."""
    if not days:
        return "<p class='meta'>No dated articles.</p>"
    top = max(n for _, n in days) or 1
    width, height = 900.0, 120.0
    bar = width / len(days)
    parts = [f"<svg class='plot' xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width + 60:.0f}"
             f" {height + 30:.0f}' style='width:100%;max-width:960px' role='img'>"]
    for i, (day, n) in enumerate(days):
        h = n / top * height
        parts.append(f"<rect x='{40 + i * bar:.2f}' y='{height - h + 5:.1f}' width="
                     f"'{max(bar - 0.5, 0.5):.2f}' height='{h:.1f}' fill='#5c6bc0'><title>"
                     f"{esc(day)}: {n}</title></rect>")
    parts.append(f"<text x='36' y='12' text-anchor='end'>{top:,}</text>"
                 f"<text x='40' y='{height + 22:.0f}'>{esc(days[0][0])}</text>"
                 f"<text x='{width + 40:.0f}' y='{height + 22:.0f}' text-anchor='end'>"
                 f"{esc(days[-1][0])}</text></svg>")
    return "".join(parts)
