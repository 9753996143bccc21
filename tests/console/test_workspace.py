"""The console's view of Slack: posts labelled with where they go, buttons as numbered choices that
click through to the same Bolt app as Slack's block_actions."""

import io
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.console.local_slack import LocalSlackApi
from bot.console.workspace import CONSOLE_TEAM, CONSOLE_TOKEN, ConsoleWorkspace


def test_posts_are_labelled_and_buttons_click_through() -> None:
    slack = LocalSlackApi(team_id=CONSOLE_TEAM)
    url = slack.start()
    clicks: list[dict[str, Any]] = []
    try:
        out = io.StringIO()
        workspace = ConsoleWorkspace(slack, out, command="/ki", language="de", locale="de-DE")
        workspace.act_as("anna")
        app = App(
            client=WebClient(token=CONSOLE_TOKEN, base_url=url),
            signing_secret="",
            request_verification_enabled=False,
            process_before_response=True,
        )

        @app.command("/ki")
        def post_things(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
            ack()
            button = {
                "type": "button",
                "action_id": "rsvp",
                "value": "yes",
                "text": {"type": "plain_text", "text": "Ich bin dabei"},
            }
            client.chat_postMessage(
                channel="ki-community",
                text="Sprechstunde",
                blocks=[
                    {"type": "section", "text": {"type": "mrkdwn", "text": "*Sprechstunde*"}},
                    {"type": "actions", "elements": [button]},
                ],
            )
            client.chat_postMessage(channel=command["user_id"], text="Hallo <@U1|anna> &amp; willkommen")

        @app.action("rsvp")
        def on_rsvp(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            clicks.append(body)

        workspace.attach(app)
        workspace.run_lines(["/ki los", "2", "1"], echo=True)
    finally:
        slack.stop()
    text = out.getvalue()
    assert "[in #ki-community]\n  Sprechstunde\n  [1] Ich bin dabei" in text
    assert "[Direktnachricht an @anna]\n  Hallo @anna & willkommen" in text
    assert "Diese Auswahl gibt es nicht (gerade wählbar: 1)." in text
    assert len(clicks) == 1
    click = clicks[0]
    assert click["type"] == "block_actions"
    assert click["user"]["id"] == workspace.user_id
    assert click["actions"][0]["action_id"] == "rsvp"
    assert click["actions"][0]["value"] == "yes"
    assert click["channel"]["id"] == "ki-community"


def test_welcome_names_run_and_now_with_examples_in_the_console_language() -> None:
    slack = LocalSlackApi(team_id=CONSOLE_TEAM)
    for language, locale, expected in (
        ("de", "de-DE", ["`:run buddy_checkin` startet einen jetzt", "`:now 2026-12-03 10:00` stellt die Uhr"]),
        ("en", "en-US", ["`:run buddy_checkin` runs one now", "`:now 2026-12-03 10:00` sets the clock"]),
    ):
        out = io.StringIO()
        workspace = ConsoleWorkspace(slack, out, command="/ki", language=language, locale=locale)
        workspace.act_as("anna")
        workspace.welcome()
        assert all(fragment in out.getvalue() for fragment in expected), out.getvalue()
