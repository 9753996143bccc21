"""Builds the Bolt app that every runner (console, Socket Mode, HTTP) drives, with its dependencies."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings

from bot.deps import Deps
from bot.slack.client import make_web_client
from bot.slack.installations import BOT_SCOPES, state_store


def build_app(deps: Deps, *, console: bool = False, token: str | None = None) -> App:
    """The one Bolt app.

    Bolt returns a listener's acknowledgement as the answer once the listener returns
    (`process_before_response`), instead of waiting for it in 10 ms sleeps. A listener's work after its
    answer goes to `deps.follow_ups`, whose executor is Bolt's too, so that there is one pool; the console's
    runs that work inline, so that its output keeps its order. In the console, Slack's request signing does
    not exist.
    """
    from handlers import register_all

    settings = deps.settings
    if deps.installations is not None:
        app = oauth_app(deps)
    else:
        app = App(
            client=make_web_client(settings, token),
            signing_secret=settings.secret("slack_signing_secret") or "",
            request_verification_enabled=not console,
            process_before_response=True,
            raise_error_for_unhandled_request=False,
            listener_executor=deps.follow_ups.executor,
        )

    app.use(SenderAndDeps(deps))
    register_all(app, deps)
    return app


class SenderAndDeps(Middleware):
    """Every row belongs to a workspace and a person: a request naming neither is malformed. Every other
    request gets the workspace's `deps`. A middleware class, not a function: Bolt hands a function middleware
    its arguments by building all it could ask for (a say, a respond, …) on every request."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        context = req.context
        if not context.team_id or (req.body.get("type") != "event_callback" and not context.user_id):
            return BoltResponse(status=400, body="malformed request: team or user missing")
        context["deps"] = self.deps.for_team(context.team_id)
        return next()


def oauth_app(deps: Deps) -> App:
    """Several workspaces: Bolt's OAuth flow (`/slack/install`, `/slack/oauth_redirect`) stores each
    workspace's bot token, and every request is authorized with its own workspace's token. On
    `app_uninstalled` and `tokens_revoked` Bolt's own listeners delete that workspace's tokens."""
    from handlers.installation import on_installed

    settings = deps.settings
    assert deps.installations is not None and settings.slack_client_id is not None
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.secret("slack_client_secret"),
        scopes=list(BOT_SCOPES),
        installation_store=deps.installations,
        state_store=state_store(deps.database.engine),
        callback_options=CallbackOptions(success=on_installed(deps), failure=_default_failure),
    )
    app = App(
        # The app's own client has no token: each request's comes from its workspace's installation.
        client=make_web_client(settings.model_copy(update={"slack_bot_token": None})),
        signing_secret=settings.secret("slack_signing_secret") or "",
        oauth_settings=oauth,
        process_before_response=True,
        raise_error_for_unhandled_request=False,
        listener_executor=deps.follow_ups.executor,
    )
    app.enable_token_revocation_listeners()
    return app


def _default_failure(args: FailureArgs) -> BoltResponse:
    return args.default.failure(args)
