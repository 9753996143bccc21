"""The time logged against a use case sums people's logs: no member sees it on any surface until at least
the minimum group (MIN_GROUP_SIZE) logged against that use case."""

from __future__ import annotations

import re

import pytest
from slack_bolt import App
from sqlalchemy import select

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.i18n import Translator
from bot.models import UseCase
from bot.render import ids
from tests.blockkit import text_of
from tests.conftest import TEAM
from tests.slack_payloads import button_click, command, interaction, open_home, overflow_choice, views_opened

MIN_GROUP = 3
LOGGERS = ["U0MAX", "U0LEA", "U0TOM"]
VIEWERS = ["U0ZOE", "UADMIN"]
MINUTES_EACH = 37
LOGGED_FIGURE = re.compile(r"(Minute|Minuten|Stunde|Stunden) erfasst")


@pytest.fixture
def slack_users() -> dict[str, str]:
    return dict.fromkeys([*LOGGERS, *VIEWERS], "de-DE")


@pytest.fixture
def bolt_settings() -> dict[str, object]:
    return {"min_group_size": MIN_GROUP}


def surfaces(app: App, local_slack: LocalSlackApi, user: str, case_id: int) -> dict[str, str]:
    """Everything a member can look at that mentions use cases, as visible text."""
    seen = {"/ki usecase": text_of(command(app, "usecase", user=user)["blocks"])}
    home_view = {"id": "VHOME", "type": "home", "hash": "h", "blocks": [], "private_metadata": ""}
    click = button_click(ids.OPEN_USE_CASES, user=user)
    click.pop("response_url")
    click.pop("channel")
    click["view"], click["container"] = home_view, {"type": "view", "view_id": "VHOME"}
    interaction(app, click)
    seen["use-case modal"] = text_of(views_opened(local_slack)[-1]["blocks"])
    url = local_slack.response_url(f"menu-{user}")
    interaction(app, overflow_choice(ids.USE_CASE_MENU, f"adopt:{case_id}", user=user, response_url=url))
    seen["list after adopting"] = text_of(local_slack.calls_to("response_url")[-1].params["blocks"])
    seen["App Home"] = text_of(open_home(app, local_slack, user)["blocks"])
    for period in ("woche", "monat"):
        seen[f"/ki top {period}"] = text_of(command(app, f"top {period}", user=user)["blocks"])
    return seen


def test_use_case_time_is_shown_only_from_the_minimum_group_on(
    app: App, local_slack: LocalSlackApi, database: Database
) -> None:
    tr = Translator("de")
    command(app, "admin beispiele", user="UADMIN")
    with database.unit_of_work(TEAM) as uow:
        case_id = uow.session.scalar(select(UseCase.id).where(UseCase.slug == "angebotserstellung"))
    for people, logger in enumerate(LOGGERS, start=1):
        command(app, f"log {MINUTES_EACH} ChatGPT #angebot", user=logger)
        total = tr.duration(people * MINUTES_EACH)
        for user in [*VIEWERS, *LOGGERS]:
            for surface, text in surfaces(app, local_slack, user, case_id).items():
                lists_use_cases = surface in ("/ki usecase", "use-case modal", "list after adopting")
                if people < MIN_GROUP:
                    assert not LOGGED_FIGURE.search(text), (people, user, surface)
                    # the first logger sees their own 37 minutes among his personal numbers
                    assert total not in text or (surface == "App Home" and user == logger and people == 1)
                    if lists_use_cases:
                        assert "erfasste Zeit: noch zu wenige Personen für eine Zahl" in text, (people, user, surface)
                elif lists_use_cases:
                    assert f"{total} erfasst" in text, (user, surface)
