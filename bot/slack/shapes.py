"""Whether a signed request has the shape Slack gives its payloads, in the parts Bolt and the handlers read.

A signature proves who sent a body, not that it is well-formed: a body whose fields have the wrong types is
refused as malformed before anything handles it, instead of failing somewhere inside with a traceback.
"""

from __future__ import annotations

from typing import Any


def well_formed(payload: Any) -> bool:
    if not isinstance(payload, dict):
        return False
    kind = payload.get("type")
    if "command" in payload:
        return all(isinstance(value, str) for value in payload.values()) and all(
            payload.get(key) for key in ("team_id", "user_id", "trigger_id")
        )
    if not isinstance(kind, str):
        return "ssl_check" in payload
    checks = {
        "block_actions": _block_actions,
        "view_submission": _view_event,
        "view_closed": _view_event,
        "shortcut": _shortcut,
        "message_action": _shortcut,
        "event_callback": _event_callback,
        "url_verification": lambda p: isinstance(p.get("challenge"), str),
    }
    check = checks.get(kind)
    return check is None or (_common(payload) and check(payload))


def _optional(payload: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> bool:
    return key not in payload or payload[key] is None or isinstance(payload[key], kind)


def _ids(value: Any) -> bool:
    """`{"id": "…", …}` as Slack sends a team, user or channel."""
    return isinstance(value, dict) and isinstance(value.get("id"), str) and bool(value["id"])


def _common(payload: dict[str, Any]) -> bool:
    return (
        (payload.get("team") is None or _ids(payload["team"]))
        and ("user" not in payload or (_ids(payload["user"]) and _optional(payload["user"], "team_id", str)))
        and all(_optional(payload, key, str) for key in ("trigger_id", "response_url", "team_id", "api_app_id"))
        and all(_optional(payload, key, dict) for key in ("container", "message", "enterprise"))
        and (payload.get("channel") is None or _ids(payload["channel"]))
    )


def _workspace_named(payload: dict[str, Any]) -> bool:
    """An interaction names its workspace as `team.id`, or (on some surfaces) only as the user's `team_id`."""
    user = payload.get("user")
    user = user if isinstance(user, dict) else {}
    return _ids(payload.get("team")) or isinstance(user.get("team_id"), str) or isinstance(payload.get("team_id"), str)


def _block_actions(payload: dict[str, Any]) -> bool:
    actions = payload.get("actions")
    return (
        _ids(payload.get("user"))
        and _workspace_named(payload)
        and isinstance(payload.get("trigger_id"), str)
        and isinstance(actions, list)
        and len(actions) > 0
        and all(_action(action) for action in actions)
        and (payload.get("view") is None or _view(payload["view"]))
    )


def _action(action: Any) -> bool:
    if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
        return False
    selected = action.get("selected_option")
    return (
        _optional(action, "value", str)
        and _optional(action, "block_id", str)
        and _optional(action, "type", str)
        and (selected is None or (isinstance(selected, dict) and _optional(selected, "value", str)))
    )


def _view(view: Any) -> bool:
    if not isinstance(view, dict) or not isinstance(view.get("id"), str) or not isinstance(view.get("type"), str):
        return False
    state = view.get("state")
    return (
        all(_optional(view, key, str) for key in ("callback_id", "private_metadata", "hash", "team_id"))
        and _optional(view, "blocks", list)
        and all(isinstance(block, dict) for block in view.get("blocks") or [])
        and (state is None or (isinstance(state, dict) and _state_values(state.get("values"))))
    )


def _state_values(values: Any) -> bool:
    if values is None:
        return True
    if not isinstance(values, dict):
        return False
    for elements in values.values():
        if not isinstance(elements, dict):
            return False
        for element in elements.values():
            if not isinstance(element, dict) or not _optional(element, "type", str):
                return False
            if not (_optional(element, "value", str) and _optional(element, "selected_date", str)):
                return False
            selected = element.get("selected_option")
            if selected is not None and not (isinstance(selected, dict) and _optional(selected, "value", str)):
                return False
    return True


def _view_event(payload: dict[str, Any]) -> bool:
    return (
        _ids(payload.get("user"))
        and _workspace_named(payload)
        and _view(payload.get("view"))
        and isinstance(payload["view"].get("callback_id"), str)
    )


def _shortcut(payload: dict[str, Any]) -> bool:
    return (
        _ids(payload.get("user"))
        and _workspace_named(payload)
        and isinstance(payload.get("callback_id"), str)
        and isinstance(payload.get("trigger_id"), str)
    )


def _event_callback(payload: dict[str, Any]) -> bool:
    event = payload.get("event")
    return (
        isinstance(payload.get("team_id"), str)
        and isinstance(payload.get("event_id"), str)
        and isinstance(event, dict)
        and isinstance(event.get("type"), str)
        and all(_optional(event, key, str) for key in ("tab", "channel", "subtype", "bot_id"))
        and _user_fits(event)
        and _optional(payload, "authorizations", list)
        and all(isinstance(entry, dict) for entry in payload.get("authorizations") or [])
    )


# The events the bot listens to name the person differently: App Home by id, a profile change by the whole
# user object. Other events may carry either, or none.
_EVENT_USER = {"app_home_opened": str, "user_change": dict}


def _user_fits(event: dict[str, Any]) -> bool:
    expected = _EVENT_USER.get(event["type"])
    if expected is None:
        return _optional(event, "user", (str, dict))
    return isinstance(event.get("user"), expected)
