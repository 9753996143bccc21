"""`/ki admin datenschutz`: the works-council pack as Markdown files in the admin's DM; others are refused.
The privacy notice links the published one-pager."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt import App

from bot.console.local_slack import LocalSlackApi
from bot.db import Database
from bot.docs import pack
from bot.docs.pack import AGREEMENT, DOCUMENT_TITLES, ONE_PAGER, RECORD
from tests.blockkit import text_of
from tests.slack_payloads import bolt_app, check_everything_sent, command


@pytest.fixture
def app(database: Database, local_slack: LocalSlackApi) -> Iterator[App]:
    with bolt_app(
        database,
        local_slack,
        admin_user_ids="UADMIN,UADMIN2",
        min_group_size=6,
        retention_months=18,
        privacy_page_url="https://intranet.firma.de/was-sieht-wer",
    ) as (bolt, _):
        yield bolt
    check_everything_sent(local_slack)


def sent_files(slack: LocalSlackApi) -> dict[str, tuple[str, str]]:
    """Uploaded files by name: (title, text), each completed into a channel."""
    files = {}
    for call in slack.calls_to("files.completeUploadExternal"):
        listed = call.params["files"]
        [entry] = json.loads(listed) if isinstance(listed, str) else listed
        name, content = slack.uploads[entry["id"]]
        files[name] = (entry.get("title"), content.decode("utf-8"))
    return files


def test_admin_gets_the_three_documents_in_a_dm(app: App, local_slack: LocalSlackApi) -> None:
    answer = command(app, "admin datenschutz", user="UADMIN")
    assert answer["text"].startswith(":white_check_mark:") and "unterwegs in deine Direktnachrichten" in answer["text"]
    [dm] = local_slack.calls_to("conversations.open")
    assert dm.params["users"] == "UADMIN"
    channels = {call.params["channel_id"] for call in local_slack.calls_to("files.completeUploadExternal")}
    assert len(channels) == 1
    files = sent_files(local_slack)
    assert {name: title for name, (title, _) in files.items()} == DOCUMENT_TITLES
    assert "weniger als **6 Personen**" in files[RECORD][1] and "nach **18 Monaten**" in files[RECORD][1]
    assert "**Admins:** 2 Personen" in files[RECORD][1]
    assert "mindestens **6 Personen**" in files[AGREEMENT][1]
    assert "ab **6 Personen**" in files[ONE_PAGER][1]


def test_english_admin_words_and_help(app: App, local_slack: LocalSlackApi) -> None:
    assert "datenschutz" in text_of(command(app, "admin hilfe", user="UADMIN")["blocks"])
    command(app, "admin privacy", user="UADMIN2")
    assert len(sent_files(local_slack)) == 3


def test_others_are_refused_and_get_nothing(app: App, local_slack: LocalSlackApi) -> None:
    answer = command(app, "admin datenschutz", user="U0ANNA")
    assert "nur Admins" in text_of(answer["blocks"])
    assert local_slack.calls_to("files.completeUploadExternal") == []


def test_without_the_manifest_the_admin_is_told(
    app: App, local_slack: LocalSlackApi, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pack, "MANIFEST", tmp_path / "manifest.json")
    answer = command(app, "admin datenschutz", user="UADMIN")
    assert "manifest.json" in text_of(answer["blocks"])
    assert local_slack.calls_to("files.completeUploadExternal") == []


def test_privacy_notice_links_the_one_pager(app: App) -> None:
    first = text_of(command(app, "stats")["blocks"])
    assert "Was sieht wer?" in first and "https://intranet.firma.de/was-sieht-wer" in first


def test_without_a_published_page_the_notice_has_no_link(database: Database, local_slack: LocalSlackApi) -> None:
    with bolt_app(database, local_slack) as (bolt, _):
        first = text_of(command(bolt, "stats")["blocks"])
    assert "Datenschutz" in first and "Was sieht wer?" not in first
