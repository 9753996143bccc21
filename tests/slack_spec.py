"""Checks the Web API calls the bot made against Slack's OpenAPI reference: method known, required
parameters present, no parameter Slack does not define."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from bot.console.local_slack import ApiCall
from tests.slack_reference.trim_web_api_spec import TRIMMED

SPEC = TRIMMED
# slack_sdk adds team_id to every call of a client bound to a workspace (org-wide installs need it).
ADDED_BY_SLACK_SDK = {"team_id"}
# Methods newer than the 2020 reference.
NOT_IN_REFERENCE = {"files.getUploadURLExternal", "files.completeUploadExternal", "apps.connections.open"}


@cache
def _spec() -> dict[str, Any]:
    return json.loads(SPEC.read_text(encoding="utf-8"))


def problems_with(call: ApiCall) -> list[str]:
    if call.method in NOT_IN_REFERENCE or call.method == "response_url":
        return []
    path = _spec()["paths"].get(f"/{call.method}")
    if path is None:
        return [f"{call.method} is not a Slack Web API method"]
    parameters = [p for operation in path.values() for p in operation.get("parameters", [])]
    known = {p["name"] for p in parameters} | ADDED_BY_SLACK_SDK
    problems = [f"{call.method}: unknown parameter {name!r}" for name in call.params if name not in known]
    for parameter in parameters:
        if parameter.get("required") and parameter["name"] != "token" and parameter["name"] not in call.params:
            problems.append(f"{call.method}: required parameter {parameter['name']!r} missing")
    if call.token is None:
        problems.append(f"{call.method}: sent without a token")
    return problems


def assert_calls_match_reference(calls: list[ApiCall]) -> None:
    problems = [problem for call in calls for problem in problems_with(call)]
    assert not problems, problems
