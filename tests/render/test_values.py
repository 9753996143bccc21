"""A button's value reads back as what was written into it, and a forged one reads as nothing (row 0, no
choice): the listeners then refuse it as unknown."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.buddies import Answer, FeedbackChoice
from bot.render import values

ids = st.integers(min_value=1, max_value=999_999_999)


@given(ids, st.dates(), st.sampled_from(Answer))
def test_a_checkin_value_reads_back(pair_id: int, week: date, answer: Answer) -> None:
    assert values.read_checkin_value(values.checkin_value(pair_id, week, answer)) == (pair_id, week, answer)


@given(ids, st.sampled_from(FeedbackChoice))
def test_a_feedback_value_reads_back(pair_id: int, choice: FeedbackChoice) -> None:
    assert values.read_feedback_value(values.feedback_value(pair_id, choice)) == (pair_id, choice)


@given(ids, st.one_of(st.none(), st.sampled_from(["champion", "mentor", "pilot_lead"])))
def test_a_talent_value_reads_back(member_id: int, role: str | None) -> None:
    assert values.read_talent_value(values.talent_value(member_id, role)) == (member_id, role)


@given(st.sampled_from(["status", "adopt"]), ids)
def test_a_use_case_value_reads_back(verb: str, use_case_id: int) -> None:
    assert values.read_use_case_value(values.use_case_value(verb, use_case_id)) == (verb, use_case_id)


@pytest.mark.parametrize("forged", ["", "12", "12:2026-11-30", "12:2026-13-01:yes", "12:2026-11-30:maybe", "a:b:c:d"])
def test_a_forged_checkin_value_reads_as_nothing(forged: str) -> None:
    assert values.read_checkin_value(forged) is None


@pytest.mark.parametrize("forged", ["", "x:extend", "-1:extend", "1e3:end", "12:", "12:keep", "99999999999:end"])
def test_a_forged_feedback_value_finds_nothing(forged: str) -> None:
    pair_id, choice = values.read_feedback_value(forged)
    assert pair_id == 0 or choice is None


@given(st.text(max_size=12))
def test_any_text_is_a_row_id_or_0(text: str) -> None:
    read = values.row_id(text)
    assert read == 0 or (text.isascii() and int(text) == read and 0 < read < 10**9)
