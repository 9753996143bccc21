"""The end of Slack's OAuth install (several workspaces): the person who installed the app becomes the
workspace's first admin and gets a DM that opens the setup form. Bolt has stored the token by then."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import SuccessArgs

from bot.render.setup import welcome_message
from bot.services import workspace_settings
from handlers.context import fallback_translator, in_unit_of_work, safe_call

if TYPE_CHECKING:
    from bot.deps import Deps

log = logging.getLogger(__name__)


def on_installed(deps: Deps) -> Callable[[SuccessArgs], BoltResponse]:
    """Bolt's success callback: welcome the installer, then Bolt's own "installed" page."""

    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        if installation.team_id and installation.user_id:
            try:
                welcome_installer(deps, installation.team_id, installation.user_id)
            except Exception:
                # The install itself succeeded; an admin can still be named in the setup form.
                log.exception("could not welcome the installer")
        return args.default.success(args)

    return success


def welcome_installer(deps: Deps, team_id: str, user_id: str) -> None:
    """Once per workspace: a reinstall keeps the admins it has, and says nothing."""
    made_admin = in_unit_of_work(
        deps,
        team_id,
        lambda uow: workspace_settings.make_first_admin(uow, deps.defaults.default_language, user_id),
    )
    if not made_admin:
        return
    team = deps.for_team(team_id)
    client = team.web_client(team_id)
    tr = fallback_translator(team, client, team_id, user_id)
    safe_call(client.chat_postMessage, channel=user_id, **welcome_message(tr, team.settings.slash_command).post_args())
