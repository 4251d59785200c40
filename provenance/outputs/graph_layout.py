"""Graph layout for the report's drawings: Graphviz (`dot`, `sfdp`) when installed, else networkx.

Many small graphs (one per story page) are laid out by one Graphviz process: their DOT texts
are concatenated and `-Tplain` prints one layout after another, so a site of thousands of
stories starts a handful of processes, not thousands. Node names given to Graphviz are
generated (`n0`, `n1`, ...), never the caller's text, so nothing needs quoting. When Graphviz is
missing or fails, networkx's spring layout places the nodes instead.
"""

from __future__ import annotations

import logging
import math
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field

from provenance.presentation import SITE_LIMITS

log = logging.getLogger(__name__)

# Points per inch: Graphviz's plain output is in inches, the SVG in points (= CSS px at 1:1).
POINTS = 72.0
DOT_GRAPH = "graph [rankdir=LR, nodesep={nodesep}, ranksep={ranksep}, splines=false];"
SFDP_GRAPH = "graph [overlap=prism, sep=\"+8\", K=0.9];"
# dot's crossing minimisation grows fast with edges: denser graphs go to sfdp.
DOT_MAX_EDGES_PER_NODE = 4
# A node with more successors than this makes one column too tall to read: sfdp instead.
DOT_MAX_FANOUT = 12
NODE_STYLE = "node [shape=circle, fixedsize=true, width=0.22, label=\"\"];"


@dataclass
class LayoutGraph:
    """A graph to lay out: node keys (any strings) and edges between them."""

    nodes: list[str]
    edges: list[tuple[str, str]] = field(default_factory=list)
    engine: str | None = None  # dot | sfdp; None picks by size
    ranksep: float = 0.55  # inches between dot's columns (room for labels beside the nodes)
    nodesep: float = 0.18  # inches between nodes of one column
    # Boxes (width, height in inches) the layout keeps apart, for nodes labelled beneath.
    sizes: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass
class Layout:
    """Node centres in points (y grows downwards) and the drawing's size."""

    positions: dict[str, tuple[float, float]]
    width: float
    height: float
    engine: str


def _engine(graph: LayoutGraph) -> str:
    if graph.engine:
        return graph.engine
    dense = len(graph.edges) > DOT_MAX_EDGES_PER_NODE * max(1, len(graph.nodes))
    fanout = Counter(a for a, _ in graph.edges).most_common(1)
    wide = bool(fanout) and fanout[0][1] > DOT_MAX_FANOUT  # a star: one very tall column
    small = len(graph.nodes) <= SITE_LIMITS["dot_max_nodes"]
    return "dot" if small and not dense and not wide else "sfdp"


def _dot_text(graph: LayoutGraph, index: int, engine: str) -> str:
    names = {key: f"n{i}" for i, key in enumerate(graph.nodes)}
    style = DOT_GRAPH.format(ranksep=graph.ranksep, nodesep=graph.nodesep)
    lines = [f"digraph g{index} {{", style if engine == "dot" else SFDP_GRAPH, NODE_STYLE]
    for key, name in names.items():
        size = graph.sizes.get(key)
        lines.append(f"{name} [shape=box, width={size[0]:.2f}, height={size[1]:.2f}];"
                     if size else f"{name};")
    lines += [f"{names[a]} -> {names[b]};" for a, b in graph.edges
              if a in names and b in names and a != b]
    lines.append("}")
    return "\n".join(lines)


def _parse_plain(output: str, graphs: list[LayoutGraph], engine: str) -> list[Layout]:
    """The layouts in Graphviz `-Tplain` output, one per graph, in order."""
    layouts: list[Layout] = []
    size = (0.0, 0.0)
    found: dict[str, tuple[float, float]] = {}
    for line in output.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "graph":
            size, found = (float(parts[2]), float(parts[3])), {}
        elif parts[0] == "node":
            found[parts[1]] = (float(parts[2]), float(parts[3]))
        elif parts[0] == "stop":
            graph = graphs[len(layouts)]
            height = size[1] * POINTS
            positions = {key: (found[f"n{i}"][0] * POINTS, height - found[f"n{i}"][1] * POINTS)
                         for i, key in enumerate(graph.nodes) if f"n{i}" in found}
            layouts.append(Layout(positions, size[0] * POINTS, height, engine))
    if len(layouts) != len(graphs):
        raise ValueError(f"Graphviz returned {len(layouts)} layouts for {len(graphs)} graphs")
    return layouts


def _graphviz(graphs: list[LayoutGraph], engine: str) -> list[Layout]:
    """Lay out graphs with one Graphviz process (raises OSError/ValueError when it fails)."""
    program = shutil.which(engine)
    if program is None:
        raise OSError(f"{engine} is not installed")
    source = "\n".join(_dot_text(g, i, engine) for i, g in enumerate(graphs))
    done = subprocess.run([program, "-Tplain"], input=source, capture_output=True, text=True,
                          timeout=SITE_LIMITS["layout_timeout_s"], check=False)
    if done.returncode != 0:
        raise ValueError(f"{engine} failed: {done.stderr.strip()[:200]}")
    return _parse_plain(done.stdout, graphs, engine)


def _networkx(graph: LayoutGraph) -> Layout:
    """networkx's spring layout, scaled to about the spacing Graphviz gives."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(graph.nodes)
    g.add_edges_from(e for e in graph.edges if e[0] in g and e[1] in g)
    if not graph.nodes:
        return Layout({}, 0.0, 0.0, "networkx")
    pos = nx.spring_layout(g, seed=7, iterations=60)
    span = 40.0 * math.sqrt(len(graph.nodes)) + 40.0
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, y0 = min(xs), min(ys)
    dx, dy = (max(xs) - x0) or 1.0, (max(ys) - y0) or 1.0
    positions = {k: (20 + (p[0] - x0) / dx * span, 20 + (p[1] - y0) / dy * span)
                 for k, p in pos.items()}
    return Layout(positions, span + 40, span + 40, "networkx")


def lay_out(graphs: list[LayoutGraph]) -> list[Layout]:
    """Layouts of `graphs`, in order: one Graphviz process per engine, networkx as fallback."""
    layouts: list[Layout | None] = [None] * len(graphs)
    by_engine: dict[str, list[int]] = {}
    for i, graph in enumerate(graphs):
        by_engine.setdefault(_engine(graph), []).append(i)
    for engine, indexes in by_engine.items():
        try:
            done = _graphviz([graphs[i] for i in indexes], engine)
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            log.info("Graphviz layout unavailable (%s); using networkx", exc)
            done = [_networkx(graphs[i]) for i in indexes]
        for i, layout in zip(indexes, done, strict=True):
            layouts[i] = layout
    return [x for x in layouts if x is not None]
