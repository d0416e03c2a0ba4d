"""Candidate panel counts: every combination within the bounds (when few enough), and the neighbours of a
set (+-1 panel on one roof, one panel moved between roofs).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from apps.engine import defaults as d
from apps.engine.sizing.problem import SizingProblem


def panel_combos(problem: SizingProblem) -> np.ndarray | None:
    """All panel-count combinations (k, n), or None if there are too many to enumerate."""
    ranges = [
        range(int(lo), int(hi) + 1) for lo, hi in zip(problem.min_panels, problem.max_panels, strict=True)
    ]
    count = math.prod(len(r) for r in ranges)
    if count > d.GRID_SEARCH_MAX_COMBINATIONS:
        return None
    return np.array(list(itertools.product(*ranges)), dtype=float).reshape(count, problem.n_arrays)


def neighbours(problem: SizingProblem, panels: tuple[int, ...]) -> list[tuple[int, ...]]:
    out = []
    for i in range(problem.n_arrays):
        for step in (-1, 1):
            p = list(panels)
            p[i] += step
            if problem.min_panels[i] <= p[i] <= problem.max_panels[i]:
                out.append(tuple(p))
    return out


def transfers(problem: SizingProblem, panels: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Designs with one panel moved from one array to another (within the bounds)."""
    out = []
    for i, j in itertools.permutations(range(problem.n_arrays), 2):
        p = list(panels)
        p[i] -= 1
        p[j] += 1
        if p[i] >= problem.min_panels[i] and p[j] <= problem.max_panels[j]:
            out.append(tuple(p))
    return out
