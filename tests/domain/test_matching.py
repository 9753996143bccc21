"""Buddy matching: the rules hold for any pool (property tests), and the result is optimal (brute force)."""

from datetime import date
from itertools import permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.buddies import is_paused, parse_capacity, parse_pause
from bot.domain.errors import UserError
from bot.domain.matching import IMPOSSIBLE, Candidate, match, pair_score, peer_groups, score_matrix, slots_of

DEPARTMENTS = st.sampled_from([None, "Vertrieb", "IT", "Einkauf"])
# None: no self-check and no learning track yet, as for almost everyone at rollout.
LEVELS = st.sampled_from([None, 1, 2, 3])


@st.composite
def pools(draw: st.DrawFn, max_mentees: int = 8, max_mentors: int = 5) -> tuple:
    mentees = [
        Candidate(
            member_id=i,
            level=draw(LEVELS),
            department=draw(DEPARTMENTS),
            utc_offset_hours=draw(st.sampled_from([0.0, 1.0, -5.0])),
        )
        for i in range(draw(st.integers(0, max_mentees)))
    ]
    mentors = []
    for j in range(draw(st.integers(0, max_mentors))):
        capacity = draw(st.integers(1, 3))
        mentors.append(
            Candidate(
                member_id=100 + j,
                level=draw(LEVELS),
                department=draw(DEPARTMENTS),
                utc_offset_hours=draw(st.sampled_from([0.0, 1.0, 9.0])),
                load=draw(st.integers(0, capacity)),
                capacity=capacity,
            )
        )
    all_pairs = [(m.member_id, e.member_id) for m in mentors for e in mentees]
    past = set(draw(st.lists(st.sampled_from(all_pairs), unique=True))) if all_pairs else set()
    return mentees, mentors, past


@settings(max_examples=300, deadline=None)
@given(pools())
def test_matching_rules_hold_for_any_pool(pool: tuple) -> None:
    mentees, mentors, past = pool
    result = match(mentees, mentors, past)
    matched = [mentee for _, mentee in result.pairs]
    assert len(matched) == len(set(matched)), "a mentee matched twice"
    by_id = {m.member_id: m for m in mentors}
    levels = {m.member_id: m.level for m in mentees}
    for mentor_id in {mentor for mentor, _ in result.pairs}:
        taken = sum(1 for mentor, _ in result.pairs if mentor == mentor_id)
        assert by_id[mentor_id].load + taken <= by_id[mentor_id].capacity, "capacity exceeded"
    for mentor_id, mentee_id in result.pairs:
        assert (mentor_id, mentee_id) not in past, "a pair that existed before"
        mentor_level, mentee_level = by_id[mentor_id].level, levels[mentee_id]
        if mentor_level is not None and mentee_level is not None:
            assert mentor_level > mentee_level, "mentor not more experienced"
        if mentor_level is None:
            assert mentee_level in (None, 1), "a mentor of unknown level took someone advanced"
    assert sorted(matched + result.unmatched) == sorted(levels), "someone left out silently"
    taken = {mentor.member_id: mentor.load for mentor in mentors}
    for mentor_id, _ in result.pairs:
        taken[mentor_id] += 1
    for mentee in (m for m in mentees if m.member_id in result.unmatched):
        for mentor in mentors:
            if taken[mentor.member_id] < mentor.capacity:
                slot = taken[mentor.member_id]
                assert pair_score(mentor, mentee, slot, past) is None, "waits although a mentor has a free place"


def brute_force_best(mentees: list[Candidate], mentors: list[Candidate], past: set) -> float:
    slots = slots_of(mentors)
    best = 0.0
    options = list(range(len(slots))) + [None] * len(mentees)
    for chosen in set(permutations(options, len(mentees))):
        total = 0.0
        for mentee, slot_index in zip(mentees, chosen, strict=True):
            if slot_index is None:
                continue
            mentor, slot = slots[slot_index]
            score = pair_score(mentor, mentee, slot, past)
            if score is None:
                break
            total += score
        else:
            best = max(best, total)
    return best


@settings(max_examples=60, deadline=None)
@given(pools(max_mentees=4, max_mentors=3))
def test_matching_is_optimal_against_brute_force(pool: tuple) -> None:
    mentees, mentors, past = pool
    if len(slots_of(mentors)) > 6:
        mentors = mentors[:2]
    assert match(mentees, mentors, past).score == pytest.approx(brute_force_best(mentees, mentors, past))


@settings(max_examples=100, deadline=None)
@given(pools())
def test_score_matrix_equals_pair_score(pool: tuple) -> None:
    mentees, mentors, past = pool
    matrix, slots = score_matrix(mentees, mentors, past)
    for row, mentee in enumerate(mentees):
        for column, (mentor, slot) in enumerate(slots):
            expected = pair_score(mentor, mentee, slot, past)
            assert matrix[row, column] == (IMPOSSIBLE if expected is None else pytest.approx(expected))


def test_preferences() -> None:
    mentee = Candidate(1, level=1, department="Vertrieb")
    same = Candidate(10, level=2, department="Vertrieb", capacity=2)
    other = Candidate(11, level=2, department="IT", capacity=2)
    assert match([mentee], [same, other], set()).pairs == [(11, 1)]  # another department preferred
    far = Candidate(12, level=2, department="IT", utc_offset_hours=9.0, capacity=2)
    assert match([mentee], [far, other], set()).pairs == [(11, 1)]  # time zones that overlap
    busy = Candidate(13, level=2, department="IT", load=1, capacity=2)
    assert match([mentee], [busy, other], set()).pairs == [(11, 1)]  # load balanced
    assert match([mentee], [other], {(11, 1)}).pairs == []  # never the same pair again
    assert match([Candidate(2, level=2)], [Candidate(14, level=2, capacity=1)], set()).unmatched == [2]


def test_pause_and_capacity_parsing() -> None:
    today = date(2026, 11, 26)
    assert parse_pause("2w", today) == date(2026, 12, 9)
    assert parse_pause("10 Tage", today) == date(2026, 12, 5)
    assert parse_pause("bis 24.12.2026", today) == date(2026, 12, 24)
    assert parse_pause("until 2026-12-24", today) == date(2026, 12, 24)
    for bad in ("", "bald", "bis 1.1.2020", "30w", "bis 31.02.2027"):
        with pytest.raises(UserError):
            parse_pause(bad, today)
    assert parse_capacity("") == 2 and parse_capacity("3") == 3
    with pytest.raises(UserError):
        parse_capacity("9")


def test_mentors_and_mentees_without_self_check_are_matched() -> None:
    """At rollout nobody has a self-check: volunteering as mentor is enough for beginners and unknowns."""
    mentors = [Candidate(10, level=None, capacity=2), Candidate(11, level=None, capacity=2)]
    mentees = [Candidate(1, level=None), Candidate(2, level=None), Candidate(3, level=1)]
    result = match(mentees, mentors, set())
    assert sorted(mentee for _, mentee in result.pairs) == [1, 2, 3] and result.unmatched == []
    assert match([Candidate(4, level=2)], mentors, set()).unmatched == [4]  # advanced: needs a known mentor
    assert match([Candidate(5, level=None)], [Candidate(12, level=2, capacity=1)], set()).pairs == [(12, 5)]
    assert match([Candidate(6, level=3)], [Candidate(13, level=3, capacity=1)], set()).unmatched == [6]


def test_a_pause_includes_its_last_day() -> None:
    assert is_paused(date(2026, 12, 24), date(2026, 12, 24))
    assert not is_paused(date(2026, 12, 24), date(2026, 12, 25))
    assert not is_paused(None, date(2026, 12, 24))


@st.composite
def peer_pools(draw: st.DrawFn) -> tuple:
    people = [Candidate(i, level=draw(LEVELS), department=draw(DEPARTMENTS)) for i in range(draw(st.integers(0, 9)))]
    all_pairs = [frozenset((a.member_id, b.member_id)) for a in people for b in people if a.member_id < b.member_id]
    past = set(draw(st.lists(st.sampled_from(all_pairs), unique=True))) if all_pairs else set()
    return people, past


@settings(max_examples=300, deadline=None)
@given(peer_pools())
def test_learning_partner_rules_hold_for_any_pool(pool: tuple) -> None:
    people, past = pool
    groups = peer_groups(people, past)
    placed = [member for group in groups for member in group]
    assert len(placed) == len(set(placed)), "someone in two groups"
    assert all(len(group) in (2, 3) for group in groups)
    assert sum(len(group) == 3 for group in groups) <= 1, "more than one trio"
    for group in groups:
        for a in group:
            for b in group:
                assert a == b or frozenset((a, b)) not in past, "together before"
    if not past and len(people) >= 2:
        assert sorted(placed) == sorted(p.member_id for p in people), "someone left out without reason"


def groups_of(people: list[Candidate], past: set[frozenset[int]] | None = None) -> list[list[int]]:
    return sorted(sorted(group) for group in peer_groups(people, past or set()))


def test_learning_partners_of_similar_level_from_other_departments_and_one_trio() -> None:
    by_level = [
        Candidate(1, level=1, department="IT"),
        Candidate(2, level=3, department="IT"),
        Candidate(3, level=1, department="Vertrieb"),
        Candidate(4, level=3, department="Einkauf"),
    ]
    assert groups_of(by_level) == [[1, 3], [2, 4]]
    by_department = [
        Candidate(1, level=1, department="IT"),
        Candidate(2, level=1, department="IT"),
        Candidate(3, level=1, department="Vertrieb"),
        Candidate(4, level=1, department="Einkauf"),
    ]
    assert all(not {1, 2} <= set(group) for group in groups_of(by_department))
    assert groups_of([*by_level, Candidate(5, level=1, department="Einkauf")]) == [[1, 3, 5], [2, 4]]
    assert groups_of(by_level, {frozenset((1, 3))}) == [[1, 2], [3, 4]] or groups_of(by_level, {frozenset((1, 3))}) == [
        [1, 4],
        [2, 3],
    ]
    assert groups_of(by_level[:2], {frozenset((1, 2))}) == []  # never together again
    assert groups_of(by_level[:1]) == []
