"""First contact: the privacy notice and the profile modal (department and learning track)."""

from __future__ import annotations

from bot.domain.curriculum import Curriculum
from bot.i18n import Translator
from bot.render import blocks as kit  # the Block Kit pieces
from bot.render import ids
from bot.services.profile import ProfileForm
from config.settings import Settings


def privacy_notice(tr: Translator, settings: Settings) -> list[kit.Block]:
    """Shown once, on first contact, together with whatever the person asked for."""
    return [
        *privacy_text(tr, settings),
        kit.section(tr.t("onboarding.invite")),
        kit.actions(kit.button(tr.t("onboarding.button"), ids.OPEN_PROFILE, style="primary")),
    ]


def privacy_text(tr: Translator, settings: Settings) -> list[kit.Block]:
    """What is stored, who sees what, how long; shown on first contact and again with `/ki daten`."""
    blocks = [
        kit.header(tr.t("privacy.title")),
        kit.section(
            tr.t(
                "privacy.body",
                months=settings.retention_months,
                min_group=settings.min_group_size,
                command=settings.slash_command,
            )
        ),
    ]
    if settings.privacy_page_url:
        blocks.append(kit.context(tr.t("privacy.page", url=settings.privacy_page_url)))
    if settings.ai_policy_url:
        blocks.append(kit.context(tr.t("privacy.policy", url=settings.ai_policy_url)))
    if settings.coach_enabled:
        host = settings.coach_host
        blocks.append(kit.context(tr.t("privacy.coach", host=host, command=settings.slash_command)))
    return blocks


def profile_modal(tr: Translator, form: ProfileForm, curriculum: Curriculum) -> dict:
    department_options = [kit.option(name, name) for name in form.departments]
    track_options = [kit.option(track.name.in_(tr.language), track.key) for track in curriculum.tracks]
    track_options.append(kit.option(tr.t("profile.track_unknown"), ids.TRACK_UNKNOWN))
    blocks = [
        kit.section(tr.t("profile.intro")),
        kit.input_block(
            ids.DEPARTMENT,
            tr.t("profile.department"),
            kit.static_select(
                ids.DEPARTMENT, department_options, tr.t("profile.department_placeholder"), initial=form.department
            ),
            optional=True,
            hint=tr.t("profile.department_hint"),
        ),
        kit.input_block(
            ids.TRACK,
            tr.t("profile.track"),
            kit.static_select(ids.TRACK, track_options, tr.t("profile.track_placeholder"), initial=form.track),
            optional=True,
        ),
        kit.input_block(
            ids.ANNOUNCE_STAGE,
            tr.t("profile.announce_stage"),
            kit.radio_buttons(
                ids.ANNOUNCE_STAGE,
                [kit.option(tr.t("profile.announce_yes"), "yes"), kit.option(tr.t("profile.announce_no"), "no")],
                initial="yes" if form.announce_stage else "no",
            ),
            optional=True,
            hint=tr.t("profile.announce_hint"),
        ),
    ]
    return kit.modal(
        ids.PROFILE_VIEW, tr.t("profile.title"), blocks, submit=tr.t("modal.save"), close=tr.t("modal.cancel")
    )
