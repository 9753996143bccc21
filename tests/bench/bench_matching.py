"""Buddy matching for 250 and 5,000 participants: time, and the total score against an exact optimum.

Run with `make bench`. The optimum comes from an independent exact solver (SciPy's MILP, HiGHS) on the
250 pool; a greedy loop in the same run shows what a solver buys. Pools are random but seeded: 70 %
mentees, 30 % mentors with capacity 1–3 and some load, levels 1–3, 10 departments, 3 time zones and
5 % of mentor–mentee pairs that existed before.
"""

from __future__ import annotations

import random
import time

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from bot.domain.matching import IMPOSSIBLE, Candidate, match, score_matrix


def pool(size: int, seed: int) -> tuple[list[Candidate], list[Candidate], set[tuple[int, int]]]:
    rng = random.Random(seed)
    departments = [f"Bereich {n}" for n in range(10)]
    offsets = [1.0, 1.0, 1.0, 0.0, -5.0]
    mentees, mentors = [], []
    for member_id in range(size):
        department, offset = rng.choice(departments), rng.choice(offsets)
        if rng.random() < 0.7:
            mentees.append(Candidate(member_id, rng.choice([1, 1, 2]), department, offset))
        else:
            capacity = rng.randint(1, 3)
            mentors.append(
                Candidate(member_id, rng.choice([2, 3, 3]), department, offset, rng.randint(0, capacity - 1), capacity)
            )
    past = {(rng.choice(mentors).member_id, rng.choice(mentees).member_id) for _ in range(size // 20)}
    return mentees, mentors, past


def exact_optimum(mentees: list[Candidate], mentors: list[Candidate], past: set[tuple[int, int]]) -> float:
    matrix, slots = score_matrix(mentees, mentors, past)
    rows, columns = np.nonzero(matrix > IMPOSSIBLE / 2)
    scores = matrix[rows, columns]
    count = len(scores)
    index = np.arange(count)
    per_mentee = coo_matrix((np.ones(count), (rows, index)), shape=(len(mentees), count))
    per_slot = coo_matrix((np.ones(count), (columns, index)), shape=(len(slots), count))
    result = milp(
        -scores,
        integrality=np.ones(count),
        bounds=Bounds(0, 1),
        constraints=[LinearConstraint(per_mentee, 0, 1), LinearConstraint(per_slot, 0, 1)],
    )
    return float(-result.fun)


def greedy(mentees: list[Candidate], mentors: list[Candidate], past: set[tuple[int, int]]) -> float:
    matrix, slots = score_matrix(mentees, mentors, past)
    used: set[int] = set()
    total = 0.0
    for row in range(len(mentees)):
        best = max(
            (c for c in range(len(slots)) if c not in used and matrix[row, c] > IMPOSSIBLE / 2),
            key=lambda c: matrix[row, c],
            default=None,
        )
        if best is not None:
            used.add(best)
            total += float(matrix[row, best])
    return total


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main() -> int:
    small = pool(250, seed=1)
    result, seconds = timed(match, *small)
    optimum, optimum_seconds = timed(exact_optimum, *small)
    greedy_score = greedy(*small)
    print(
        f"matching   250 participants: {seconds * 1000:8.1f} ms, {len(result.pairs)} pairs, "
        f"{len(result.unmatched)} waiting; score / exact optimum (MILP, {optimum_seconds * 1000:.0f} ms) = "
        f"{result.score / optimum:.6f}; greedy / optimum = {greedy_score / optimum:.4f}"
    )
    large = pool(5000, seed=2)
    result, seconds = timed(match, *large)
    print(
        f"matching  5000 participants: {seconds:8.2f} s, {len(result.pairs)} pairs, {len(result.unmatched)} waiting;"
        f" ratio 5000/250 time = {seconds / max(timed(match, *small)[1], 1e-9):.0f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
