"""Buddy matching as an assignment problem, solved exactly.

Each mentor offers as many slots as free capacity; a mentee-slot pair has a score, or is impossible.
SciPy's `linear_sum_assignment` finds the assignment with the highest total score. The base score of
every possible pair outweighs all preferences together, so the solver first matches as many mentees as
possible and only then prefers better pairs.

A level is unknown (None) until the person has a self-check or a learning track. At rollout that is almost
everyone, and volunteering as a mentor is itself a sign of experience: a mentor of unknown level may take
beginners and people of unknown level, and a mentor of known level may take someone of unknown level. Only
when both levels are known must the mentor be ahead.

NumPy and SciPy are imported when a matching runs, not when the bot starts: they are a large part of a
process's memory, and matching runs once a week.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

BEGINNER = 1
BASE = 1000.0
DIFFERENT_DEPARTMENT = 20.0
TIME_ZONE_OVERLAP = 10.0
# Per level beyond the first that the mentor is ahead: a mentor one level up explains best.
EXTRA_LEVEL_GAP = -4.0
# Per mentee a mentor already has in this slot's position: spreads mentees across mentors.
LOAD = -15.0
MAX_OFFSET_HOURS_FOR_OVERLAP = 3.0
IMPOSSIBLE = -1e9


@dataclass(frozen=True)
class Candidate:
    member_id: int
    level: int | None
    department: str | None = None
    utc_offset_hours: float = 0.0
    # Mentors only: mentees they have now, and how many they take at most.
    load: int = 0
    capacity: int = 0


@dataclass(frozen=True)
class Matching:
    pairs: list[tuple[int, int]]  # (mentor id, mentee id)
    unmatched: list[int]  # mentee ids that wait
    score: float


def may_mentor(mentor_level: int | None, mentee_level: int | None) -> bool:
    if mentor_level is None:
        return mentee_level is None or mentee_level == BEGINNER
    return mentee_level is None or mentor_level > mentee_level


def pair_score(mentor: Candidate, mentee: Candidate, slot: int, past_pairs: set[tuple[int, int]]) -> float | None:
    """The value of giving `mentee` the `slot`-th mentee place of `mentor` (0 = their first), or None.
    Matching uses `score_matrix`; this is the rule written out pair by pair, the reference the tests hold
    the matrix to."""
    if mentor.member_id == mentee.member_id or (mentor.member_id, mentee.member_id) in past_pairs:
        return None
    if not may_mentor(mentor.level, mentee.level):
        return None
    score = BASE + LOAD * slot
    if mentor.level is not None and mentee.level is not None:
        score += EXTRA_LEVEL_GAP * (mentor.level - mentee.level - 1)
    if mentor.department and mentee.department and mentor.department != mentee.department:
        score += DIFFERENT_DEPARTMENT
    if abs(mentor.utc_offset_hours - mentee.utc_offset_hours) <= MAX_OFFSET_HOURS_FOR_OVERLAP:
        score += TIME_ZONE_OVERLAP
    return score


def slots_of(mentors: list[Candidate]) -> list[tuple[Candidate, int]]:
    return [(mentor, slot) for mentor in mentors for slot in range(mentor.load, mentor.capacity)]


def score_matrix(
    mentees: list[Candidate], mentors: list[Candidate], past_pairs: set[tuple[int, int]]
) -> tuple[np.ndarray, list[tuple[Candidate, int]]]:
    """`pair_score` for every mentee (row) and mentor slot (column), computed with NumPy arrays so that
    thousands of participants take seconds, not minutes; impossible pairs hold IMPOSSIBLE."""
    import numpy as np

    slots = slots_of(mentors)
    if not mentees or not slots:
        return np.full((len(mentees), len(slots)), IMPOSSIBLE), slots
    departments = {name: code for code, name in enumerate({c.department for c in (*mentees, *mentors)} - {None}, 1)}

    def column(values: list[float]) -> np.ndarray:
        return np.asarray(values, dtype=float)

    # Unknown levels as 0, which no known level (1-3) equals.
    e_level = column([m.level or 0 for m in mentees])[:, None]
    e_department = column([departments.get(m.department, 0) for m in mentees])[:, None]
    e_offset = column([m.utc_offset_hours for m in mentees])[:, None]
    s_level = column([mentor.level or 0 for mentor, _ in slots])[None, :]
    s_department = column([departments.get(mentor.department, 0) for mentor, _ in slots])[None, :]
    s_offset = column([mentor.utc_offset_hours for mentor, _ in slots])[None, :]
    s_slot = column([slot for _, slot in slots])[None, :]

    both_known = (s_level > 0) & (e_level > 0)
    matrix = BASE + EXTRA_LEVEL_GAP * np.where(both_known, s_level - e_level - 1, 0) + LOAD * s_slot
    matrix = matrix + DIFFERENT_DEPARTMENT * ((e_department > 0) & (s_department > 0) & (e_department != s_department))
    matrix = matrix + TIME_ZONE_OVERLAP * (np.abs(s_offset - e_offset) <= MAX_OFFSET_HOURS_FOR_OVERLAP)
    allowed = np.where(s_level == 0, (e_level == 0) | (e_level == BEGINNER), (e_level == 0) | (s_level > e_level))
    matrix = np.where(allowed, matrix, IMPOSSIBLE)
    mentee_row = {m.member_id: row for row, m in enumerate(mentees)}
    mentor_columns: dict[int, list[int]] = {}
    for index, (mentor, _) in enumerate(slots):
        mentor_columns.setdefault(mentor.member_id, []).append(index)
    for mentor_id, mentee_id in past_pairs:
        if mentee_id in mentee_row and mentor_id in mentor_columns:
            matrix[mentee_row[mentee_id], mentor_columns[mentor_id]] = IMPOSSIBLE
    for mentee_id, row in mentee_row.items():
        if mentee_id in mentor_columns:
            matrix[row, mentor_columns[mentee_id]] = IMPOSSIBLE
    return matrix, slots


def match(mentees: list[Candidate], mentors: list[Candidate], past_pairs: set[tuple[int, int]]) -> Matching:
    """The best matching: nobody twice, capacities kept, no pair that existed before; the rest wait."""
    from scipy.optimize import linear_sum_assignment

    matrix, slots = score_matrix(mentees, mentors, past_pairs)
    pairs: list[tuple[int, int]] = []
    total = 0.0
    if matrix.size:
        rows, columns = linear_sum_assignment(matrix, maximize=True)
        for row, column in zip(rows, columns, strict=True):
            if matrix[row, column] > IMPOSSIBLE / 2:
                pairs.append((slots[column][0].member_id, mentees[row].member_id))
                total += float(matrix[row, column])
    matched = {mentee for _, mentee in pairs}
    return Matching(pairs, [m.member_id for m in mentees if m.member_id not in matched], total)


# -- learning partners ---------------------------------------------------------------------------------

# Per level two learning partners are apart; an unknown level counts as half a level from anyone.
LEVEL_APART = -30.0


def peer_score(a: Candidate, b: Candidate, past_groups: set[frozenset[int]]) -> float | None:
    """The value of making `a` and `b` learning partners, or None if they were together before."""
    if a.member_id == b.member_id or frozenset((a.member_id, b.member_id)) in past_groups:
        return None
    score = BASE
    if a.level is not None and b.level is not None:
        score += LEVEL_APART * abs(a.level - b.level)
    elif a.level != b.level:
        score += LEVEL_APART / 2
    if a.department and b.department and a.department != b.department:
        score += DIFFERENT_DEPARTMENT
    return score


def peer_groups(people: list[Candidate], past_groups: set[frozenset[int]]) -> list[tuple[int, ...]]:
    """Learning partners among people who wait for a mentor: pairs of similar level, another department
    preferred, and one trio when one person is left over; never two people who were together before.

    The pool is small (people who waited a whole round), so a greedy choice does: the person with the
    fewest possible partners chooses first, their best partner; whoever is left joins the pair where they
    fit best as the third. Someone nobody may be paired with keeps waiting for a mentor alone."""
    by_id = {person.member_id: person for person in people}
    options = {
        person.member_id: {
            other.member_id: score for other in people if (score := peer_score(person, other, past_groups)) is not None
        }
        for person in people
    }
    free = set(by_id)
    groups: list[list[int]] = []
    while True:
        choosers = [member for member in free if any(other in free for other in options[member])]
        if not choosers:
            break
        chooser = min(choosers, key=lambda member: (sum(other in free for other in options[member]), member))
        partner = max(
            (other for other in options[chooser] if other in free),
            key=lambda other: (options[chooser][other], -sum(o in free for o in options[other]), -other),
        )
        groups.append([chooser, partner])
        free -= {chooser, partner}
    trios = [
        (options[member][group[0]] + options[member][group[1]], -index, member, index)
        for member in sorted(free)
        for index, group in enumerate(groups)
        if group[0] in options[member] and group[1] in options[member]
    ]
    if trios:
        *_, member, index = max(trios)
        groups[index].append(member)
    return [tuple(group) for group in groups]
