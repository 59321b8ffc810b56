"""The pictures in reports, drawn with matplotlib's Agg backend and inlined as PNG data URIs."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import FancyArrowPatch  # noqa: E402

GOLD_COLOR, PRED_COLOR, BAR_COLOR = "#2b8a3e", "#c92a2a", "#1c7ed6"


def to_data_uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def bars_with_intervals(title: str, labels: Sequence[str], values: Sequence[float],
                        lows: Sequence[float], highs: Sequence[float],
                        xlabel: str = "score", signed: bool = False) -> str:
    """Horizontal bars with their 95% intervals as error bars."""
    n = max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(6, 0.9 + 0.3 * n))
    y = np.arange(len(labels))
    values = np.asarray(values, dtype=float)
    err = np.array([values - np.asarray(lows, float), np.asarray(highs, float) - values])
    colors = [(PRED_COLOR if v < 0 else GOLD_COLOR) if signed else BAR_COLOR for v in values]
    ax.barh(y, values, xerr=np.clip(err, 0, None), color=colors, alpha=0.85, capsize=3,
            error_kw={"elinewidth": 1, "ecolor": "#333"})
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    if signed:
        ax.axvline(0, color="#333", linewidth=0.8)
    else:
        ax.set_xlim(0, 1.12)
    for yi, v, hi in zip(y, values, highs, strict=True):
        ax.text(max(v, hi, 0), yi, f" {v:.2f}", va="center", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10, loc="left")
    ax.grid(axis="x", alpha=0.3)
    return to_data_uri(fig)


def confusion_matrix(labels: Sequence[str], matrix: Sequence[Sequence[int]],
                     title: str = "Event types: gold (rows) vs predicted (columns)") -> str:
    m = np.asarray(matrix, dtype=float)
    size = 1.6 + 0.45 * len(labels)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    shown = np.log1p(m)  # a few big cells would otherwise wash out the rest
    im = ax.imshow(shown, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    top = shown.max() if shown.size else 1
    for i in range(len(labels)):
        for j in range(len(labels)):
            if m[i, j]:
                ax.text(j, i, int(m[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if shown[i, j] > top * 0.6 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title, fontsize=10, loc="left")
    fig.colorbar(im, ax=ax, fraction=0.04, label="log(1 + count)")
    return to_data_uri(fig)


def _circle(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    n = max(len(nodes), 1)
    return {node: (math.cos(2 * math.pi * i / n + math.pi / 2),
                   math.sin(2 * math.pi * i / n + math.pi / 2)) for i, node in enumerate(nodes)}


def _busiest(edges: Sequence[Sequence], limit: int) -> list[str]:
    """The actors in most records, so a big network stays readable."""
    weight: dict[str, int] = {}
    for a, b, n in edges:
        for node in (str(a), str(b)):
            weight[node] = weight.get(node, 0) + int(n)
    return sorted(weight, key=lambda x: (-weight[x], x))[:limit]


def blame_network(gold: Sequence[Sequence], predicted: Sequence[Sequence],
                  title: str = "Who blames whom", max_nodes: int = 14) -> str:
    """Gold beside predicted on one layout; edge width grows with the number of records."""
    nodes = sorted(_busiest([*gold, *predicted], max_nodes))
    pos = _circle(nodes)
    keep = set(nodes)
    top = max([int(e[2]) for e in [*gold, *predicted]] or [1])
    fig, axes = plt.subplots(1, 2, figsize=(13, 6.5))
    for ax, edges, name, color in ((axes[0], gold, "gold", GOLD_COLOR),
                                   (axes[1], predicted, "predicted", PRED_COLOR)):
        shown = 0
        for a, b, n in edges:
            a, b = str(a), str(b)
            if a == b or a not in keep or b not in keep:
                continue
            shown += int(n)
            arrow = FancyArrowPatch(pos[a], pos[b], arrowstyle="-|>", mutation_scale=14,
                                    linewidth=0.8 + 6.0 * int(n) / top, color=color, alpha=0.55,
                                    connectionstyle="arc3,rad=0.12", shrinkA=14, shrinkB=14)
            ax.add_patch(arrow)
        for node, (x, y) in pos.items():
            ax.scatter([x], [y], s=240, color="#f1f3f5", edgecolor="#495057", zorder=3)
            ax.annotate(node, (x * 1.13, y * 1.13), ha="center", va="center", fontsize=8,
                        zorder=4)
        total = sum(int(e[2]) for e in edges)
        ax.set_title(f"{name}: {total} accusation(s), {shown} among the actors shown",
                     fontsize=10)
        ax.set_xlim(-1.45, 1.45)
        ax.set_ylim(-1.35, 1.35)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.suptitle(f"{title} (the {len(nodes)} actors in most records)", fontsize=11, x=0.02,
                 ha="left")
    return to_data_uri(fig)
