"""The prompt coach as a person meets it, through the real Bolt app, a loopback Slack and a loopback model, on
SQLite and PostgreSQL: the answer, every refusal (nothing sent), every failure of the model (said, and not
counted), the buttons, the tip form, the message shortcut, the learning path, the admins' figures, and that
no prompt or answer is ever stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App
from sqlalchemy import String, Text, select

from bot.console.local_slack import LocalSlackApi, SlackUser
from bot.db import Database
from bot.deps import Deps
from bot.follow_ups import DeferredExecutor, FollowUps
from bot.models import Base, CoachUsage, CoachVerdict, Member, ModuleCompletion, Tip
from bot.render import ids
from bot.services import privacy
from bot.services.members import find_member
from tests.conftest import FIXED_NOW, TEAM
from tests.fake_chat_model import FakeChatModel
from tests.slack_payloads import (
    bolt_app,
    button_click,
    check_everything_sent,
    command,
    interaction,
    message_shortcut,
    view_submission,
)

PROMPT = "Schreib eine Antwort auf eine Reklamation wegen verspäteter Lieferung"


@pytest.fixture
def model(chat_model: FakeChatModel) -> FakeChatModel:
    return chat_model


@pytest.fixture
def bolt(database: Database, local_slack: LocalSlackApi, model: FakeChatModel) -> Iterator[tuple[App, Deps]]:
    local_slack.add_user(SlackUser("U0ANNA", "Anna Schmidt"))
    local_slack.add_user(SlackUser("U0BEN", "Ben Okafor", locale="en-US"))
    settings = {"coach_api_url": model.url, "coach_model": "local-fake", "coach_per_day": 3, "min_group_size": 2}
    with bolt_app(database, local_slack, **settings) as app_and_deps:
        yield app_and_deps


def ask(app: App, slack: LocalSlackApi, text: str, user: str = "U0ANNA", name: str = "coach") -> dict[str, Any]:
    """`/ki prompt …`: the acknowledgement; what followed through the response_url is in `answers`."""
    return command(app, f"prompt {text}", user=user, response_url=slack.response_url(name))


def answers(slack: LocalSlackApi) -> list[dict[str, Any]]:
    found = []
    for call in slack.calls_to("response_url"):
        params = dict(call.params)
        if isinstance(params.get("blocks"), str):
            params["blocks"] = json.loads(params["blocks"])
        found.append(params)
    return found


def block_texts(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False)


def usage(database: Database, user: str = "U0ANNA") -> tuple[int, int]:
    with database.unit_of_work(TEAM) as uow:
        member = find_member(uow, user)
        assert member is not None
        rows = uow.session.scalars(select(CoachUsage).where(CoachUsage.member_id == member.id)).all()
        return sum(r.requests for r in rows), sum(r.improved for r in rows)


def stored_texts(database: Database) -> str:
    """Every text column of every row, to look for a prompt or an answer in."""
    with database.unit_of_work(TEAM) as uow:
        texts = []
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            for row in uow.session.execute(table.select()):
                texts += [str(row._mapping[c.name]) for c in columns]
        return "\n".join(texts)


def test_the_coach_answers_in_german_after_the_acknowledgement(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel, database: Database
) -> None:
    app, _ = bolt
    ack = ask(app, local_slack, PROMPT)
    assert "schaut sich deinen Prompt an" in json.dumps(ack, ensure_ascii=False)
    (answer,) = answers(local_slack)
    assert answer["replace_original"] is True and answer["response_type"] == "ephemeral"
    text = block_texts(answer)
    for expected in ("Was schon gut ist", "Rolle", "Kontext", "Format", "Verbesserter Prompt", "Als Tipp teilen"):
        assert expected in text
    assert model.requests[0]["messages"][1]["content"] == PROMPT
    assert "in German" in model.requests[0]["messages"][0]["content"]
    assert usage(database) == (1, 1)
    check_everything_sent(local_slack)
    assert PROMPT not in stored_texts(database)
    assert "Kundenberaterin" not in stored_texts(database)


def test_the_prompt_reaches_the_model_as_typed(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel
) -> None:
    """Slack escapes `&`, `<` and `>` in a command's text; the model gets what the person typed."""
    app, _ = bolt
    ask(app, local_slack, "Vergleiche Angebot A &amp; B, Preis &lt; 500 €")
    assert model.requests[0]["messages"][1]["content"] == "Vergleiche Angebot A & B, Preis < 500 €"


def test_an_english_speaker_gets_the_coach_in_english(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel
) -> None:
    app, _ = bolt
    ask(app, local_slack, "Write a reply to a customer", user="U0BEN")
    assert "in English" in model.requests[0]["messages"][0]["content"]
    text = block_texts(answers(local_slack)[0])
    assert "What is already good" in text and "Step by step" in text and "Share as a tip" in text


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("Antworte max@kunde.de wegen der Lieferung", "E-Mail"),
        ("Schreib eine Antwort an Frau Schmidt", "Schmidt"),
        ("Fasse zusammen, was <@U0BEN> meint", "erwähnt eine Person"),
        ("", "Schreib deinen Prompt"),
    ],
)
def test_a_refused_prompt_is_never_sent_and_not_counted(
    bolt: tuple[App, Deps],
    local_slack: LocalSlackApi,
    model: FakeChatModel,
    database: Database,
    prompt: str,
    said: str,
) -> None:
    app, _ = bolt
    ack = ask(app, local_slack, prompt)
    everything = json.dumps(ack, ensure_ascii=False) + "".join(block_texts(a) for a in answers(local_slack))
    assert said in everything
    assert model.requests == []
    assert usage(database)[0] == 0
    check_everything_sent(local_slack)


def test_a_company_term_is_refused_before_anything_leaves(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel
) -> None:
    app, deps = bolt
    deps.catalogs = type(deps.catalogs)(**{**deps.catalogs.__dict__, "coach_terms": ("Projekt Phoenix",)})
    ack = ask(app, local_slack, "Plane die nächsten Schritte für projekt phoenix")
    assert "Projekt Phoenix" in json.dumps(ack, ensure_ascii=False)
    assert model.requests == []


@pytest.mark.parametrize(("mode", "said"), [("error", "abgelehnt"), ("no_advice", "nicht lesbar")])
def test_a_failing_model_is_said_and_the_request_given_back(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel, database: Database, mode: str, said: str
) -> None:
    app, _ = bolt
    model.mode = mode
    ask(app, local_slack, PROMPT)
    (answer,) = answers(local_slack)
    assert said in block_texts(answer) and "zählt nicht" in block_texts(answer)
    assert usage(database) == (0, 0)
    check_everything_sent(local_slack)


def test_the_daily_limit_holds_and_a_new_day_starts_afresh(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel, database: Database
) -> None:
    app, deps = bolt
    for n in range(3):
        ask(app, local_slack, f"{PROMPT} {n}", name=f"c{n}")
    ack = ask(app, local_slack, PROMPT, name="c4")
    assert "Tageslimit" in json.dumps(ack, ensure_ascii=False)
    assert len(model.requests) == 3
    deps.clock = lambda: FIXED_NOW.replace(day=FIXED_NOW.day + 1)
    ask(app, local_slack, PROMPT, name="c5")
    assert len(model.requests) == 4


def test_without_a_model_the_coach_explains_that_it_is_off(database: Database, local_slack: LocalSlackApi) -> None:
    with bolt_app(database, local_slack) as (app, _):
        ack = ask(app, local_slack, PROMPT)
    assert "nicht eingeschaltet" in json.dumps(ack, ensure_ascii=False)
    assert answers(local_slack) == []


def test_slack_not_saying_who_works_here_sends_nothing(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel, database: Database
) -> None:
    app, _ = bolt
    local_slack.fail("users.list", status=200, error="missing_scope")
    ask(app, local_slack, PROMPT)
    assert "wer in eurem Workspace ist" in block_texts(answers(local_slack)[0])
    assert model.requests == [] and usage(database) == (0, 0)


def coach_buttons(message: dict[str, Any]) -> dict[str, str]:
    return {
        element["action_id"]: element.get("value", "")
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def answer_button(app: App, slack: LocalSlackApi, action_id: str, user: str = "U0ANNA") -> str:
    """Asks the coach and returns the value of one of the answer's buttons."""
    ask(app, slack, PROMPT if user == "U0ANNA" else "Write a reply", user=user, name=f"buttons-{user}")
    return coach_buttons(answers(slack)[-1])[action_id]


def test_helpful_is_counted_once_and_without_a_name(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    token = answer_button(app, local_slack, ids.COACH_HELPFUL)
    for _ in range(2):
        interaction(app, button_click(ids.COACH_HELPFUL, token, response_url=local_slack.response_url("v")))
    interaction(app, button_click(ids.COACH_NOT_HELPFUL, token, response_url=local_slack.response_url("v")))
    said = [block_texts(a) for a in answers(local_slack)[1:]]
    assert "ohne deinen Namen" in said[0] and "schon bewertet" in said[1] and "schon bewertet" in said[2]
    with database.unit_of_work(TEAM) as uow:
        verdicts = uow.session.scalars(select(CoachVerdict)).all()
    assert [(v.helpful, v.month.isoformat()) for v in verdicts] == [(True, "2026-11-01")]
    assert not any(c.foreign_keys for c in CoachVerdict.__table__.columns if c.name != "team_id")


def test_sharing_opens_the_tip_form_filled_and_posts_what_the_person_edited(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    improved = answer_button(app, local_slack, ids.COACH_SHARE)
    interaction(app, button_click(ids.COACH_SHARE, improved))
    (opened,) = local_slack.calls_to("views.open")
    form = json.loads(opened.params["view"]) if isinstance(opened.params["view"], str) else opened.params["view"]
    assert form["callback_id"] == ids.TIP_VIEW
    assert form["blocks"][1]["element"]["initial_value"] == improved
    assert local_slack.calls_to("chat.postMessage") == []  # nothing posted before the person submits

    refused = interaction(app, view_submission(form, {ids.TIP_TEXT: "Schreib an a@b.de", ids.TIP_ANONYMOUS: "named"}))
    assert ids.TIP_TEXT in json.loads(refused.body)["errors"]
    edited = "Für Reklamationen: " + improved
    interaction(app, view_submission(form, {ids.TIP_TEXT: edited, ids.TIP_ANONYMOUS: "anonymous"}, view_id="V2"))
    posts = local_slack.calls_to("chat.postMessage")
    channel_post = next(c for c in posts if c.params["channel"] == "ki-community")
    assert "Für Reklamationen" in json.dumps(channel_post.params, ensure_ascii=False)
    assert "U0ANNA" not in json.dumps(channel_post.params)  # shared anonymously
    assert any(c.params["channel"] == "U0ANNA" and "Dein Tipp steht" in str(c.params) for c in posts)
    with database.unit_of_work(TEAM) as uow:
        (tip,) = uow.session.scalars(select(Tip)).all()
        assert tip.anonymous and tip.message_ts
    check_everything_sent(local_slack)


def test_the_message_shortcut_coaches_ones_own_message_only(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel
) -> None:
    app, _ = bolt
    url = local_slack.response_url("shortcut")
    interaction(app, message_shortcut("Fass mir den Vertrag &amp; die Anlagen zusammen", "U0ANNA", response_url=url))
    waiting, answer = answers(local_slack)
    assert "schaut sich deinen Prompt an" in block_texts(waiting)
    assert answer["replace_original"] is False and "Verbesserter Prompt" in block_texts(answer)
    assert model.requests[0]["messages"][1]["content"] == "Fass mir den Vertrag & die Anlagen zusammen"
    interaction(app, message_shortcut("Text von Ben", "U0BEN", response_url=url))
    assert "nur deine eigenen Nachrichten" in block_texts(answers(local_slack)[-1])
    assert len(model.requests) == 1
    check_everything_sent(local_slack)


def test_coached_prompts_complete_the_learning_module_that_counts_them(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, _ = bolt
    command(app, "lernpfad track basis")
    path = json.dumps(command(app, "lernpfad"), ensure_ascii=False)
    assert "0 von 3" in path
    for n in range(3):
        ask(app, local_slack, f"{PROMPT} {n}", name=f"p{n}")
    assert "Prompt Engineering für den Arbeitsalltag" in block_texts(answers(local_slack)[-1])
    with database.unit_of_work(TEAM) as uow:
        done = uow.session.scalars(select(ModuleCompletion.module_key)).all()
    assert done == ["prompt-alltag"]
    assert "erledigt" not in block_texts(answers(local_slack)[0]).split("Verbesserter")[0]


def test_admins_see_the_coach_only_from_the_minimum_group_on(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi
) -> None:
    app, _ = bolt
    ask(app, local_slack, PROMPT)
    few = json.dumps(command(app, "admin coach", user="UADMIN"), ensure_ascii=False)
    assert "weniger als 2 Personen" in few and "127.0.0.1" in few and "local-fake" in few
    token = answer_button(app, local_slack, ids.COACH_HELPFUL, user="U0BEN")
    interaction(app, button_click(ids.COACH_HELPFUL, token, user="U0BEN"))
    enough = json.dumps(command(app, "admin coach", user="UADMIN"), ensure_ascii=False)
    assert "2 Personen haben 2 Prompts verbessert" in enough and "1× „Hat geholfen“" in enough
    refused = json.dumps(command(app, "admin coach"), ensure_ascii=False)
    assert "Personen haben" not in refused


def test_the_coach_counters_are_exported_and_erased_with_the_person(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database
) -> None:
    app, deps = bolt
    ask(app, local_slack, PROMPT)
    with database.unit_of_work(TEAM) as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0ANNA")).one()
        exported = privacy.export_data(uow, member, FIXED_NOW)
        assert [(r["requests"], r["improved"]) for r in exported["tables"]["coach_usage"]] == [(1, 1)]
        privacy.erase(uow, member, FIXED_NOW, deps.settings.min_group_size)
    with database.unit_of_work(TEAM) as uow:
        assert uow.session.scalars(select(CoachUsage)).all() == []


def test_the_wait_for_the_model_runs_on_the_coachs_own_pool(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, model: FakeChatModel
) -> None:
    """A slow model holds up only coach answers: the request and its follow-ups are done (the dispatch waits
    for them) while the coach's call still waits in its own pool."""
    app, deps = bolt
    coach_pool = DeferredExecutor()
    deps.coach_calls = FollowUps(coach_pool)
    ask(app, local_slack, PROMPT)
    assert answers(local_slack) == [] and model.requests == []
    coach_pool.run_pending()
    assert "Verbesserter Prompt" in block_texts(answers(local_slack)[0])


def test_an_unexpected_failure_is_said_not_left_waiting(
    bolt: tuple[App, Deps], local_slack: LocalSlackApi, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _ = bolt

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("bot.services.coach.advise", broken)
    ask(app, local_slack, PROMPT)
    (answer,) = answers(local_slack)
    assert answer["replace_original"] is True and ":warning:" in answer["text"]
    assert usage(database) == (0, 0)
