"""Regenerates `web_api_methods.json` from Slack's full Web API OpenAPI spec.

The full spec (`slack_web_openapi_v2_without_examples.json` from Slack's api-specs project, MIT, about 1 MB)
is more than the tests need: they check method names, parameter names and required flags. This keeps the
methods the bot calls or may call, each with its parameters' name, place and required flag.

    python -m tests.slack_reference.trim_web_api_spec path/to/slack_web_openapi_v2_without_examples.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TRIMMED = HERE / "web_api_methods.json"
METHODS = (
    "apps.uninstall",
    "auth.revoke",
    "auth.test",
    "chat.delete",
    "chat.getPermalink",
    "chat.postEphemeral",
    "chat.postMessage",
    "chat.update",
    "conversations.info",
    "conversations.open",
    "oauth.v2.access",
    "reactions.get",
    "team.info",
    "users.info",
    "users.list",
    "views.open",
    "views.publish",
    "views.push",
    "views.update",
)
KEPT_PARAMETER_FIELDS = ("name", "in", "required", "type")


def trim(spec: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for method in METHODS:
        path = spec["paths"].get(f"/{method}")
        if path is None:
            raise SystemExit(f"{method} is not in the spec")
        paths[f"/{method}"] = {
            verb: {
                "operationId": operation.get("operationId"),
                "parameters": [
                    {field: p[field] for field in KEPT_PARAMETER_FIELDS if field in p}
                    for p in operation.get("parameters", [])
                ],
            }
            for verb, operation in path.items()
        }
    return {"swagger": spec["swagger"], "info": spec["info"], "paths": paths}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    TRIMMED.write_text(json.dumps(trim(spec), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{TRIMMED.name}: {len(METHODS)} methods")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
