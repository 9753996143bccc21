"""Action ids and view callback ids: what renderers put on buttons and modals, and handlers listen for; and
the modals' fields, which are named in bot/domain/fields.py because a refusal names its field."""

from bot.domain.fields import (  # noqa: F401
    ANNOUNCE_STAGE,
    CHECK_DIMENSION_PREFIX,
    DATA_CONFIRM,
    DATE,
    DEPARTMENT,
    ESTIMATE,
    INVENTORY_CHAMPION,
    INVENTORY_HOURS,
    INVENTORY_POTENTIAL,
    INVENTORY_TOOLS,
    LEARNING,
    MINUTES,
    NEW_USE_CASE,
    NOTE,
    PILOT_BASELINE,
    PILOT_DEADLINE,
    PILOT_GOAL,
    PILOT_METRIC,
    PILOT_TEAM,
    RATING,
    RETRO_BLOCKS,
    RETRO_NEEDS,
    RETRO_RATING,
    RETRO_WORKS,
    STATUS,
    SUMMARY,
    SUMMARY_LINK,
    TALENT_CONSENT,
    TALENT_ROLES,
    TALENT_STRENGTHS,
    TIP_ANONYMOUS,
    TIP_TEXT,
    TITLE,
    TOOL,
    TRACK,
    USE_CASE,
)

# Buttons and menus
OPEN_LOG_MODAL = "open_log_modal"
OPEN_CHECK = "open_check"
OPEN_PATH = "open_path"
OPEN_USE_CASES = "open_use_cases"
OPEN_PROFILE = "open_profile"
OPEN_BUDDY = "open_buddy"
OPEN_NEW_USE_CASE = "open_new_use_case"
USE_CASE_MENU = "use_case_menu"
COMPLETE_MODULE = "complete_module"
REOPEN_MODULE = "reopen_module"
CHOOSE_TRACK = "choose_track"

# Modals (view callback ids)
LOG_VIEW = "log_usage"
PROFILE_VIEW = "profile"
USE_CASE_VIEW = "use_case_new"
STATUS_VIEW = "use_case_status"
CHECK_VIEW = "maturity_check"
INFO_VIEW = "info"

# Global shortcut (manifest: features.shortcuts)
LOG_SHORTCUT = "log_usage_shortcut"

# The modals' fields (bot/domain/fields.py)
# The track choice that sends a person to the self-check instead.
TRACK_UNKNOWN = "unknown"

# Buddy programme
BUDDY_JOIN = "buddy_join"
CHECKIN_ANSWER = "buddy_checkin_answer"
FEEDBACK_DECISION = "buddy_feedback"
RATING_OPEN = "buddy_rating_open"
RATING_VIEW = "buddy_rating"

# Rituals
RSVP = "ritual_rsvp"
SUMMARY_OPEN = "ritual_summary_open"
SUMMARY_VIEW = "ritual_summary"
RETRO_OPEN = "retro_open"
RETRO_VIEW = "retro"

# A person's own log entries
UNDO_LOG = "log_undo"
EDIT_LOG = "log_edit"
DELETE_LOG = "log_delete"

# A person's data rights (`/ki daten`)
DATA_EXPORT = "data_export"
DATA_DELETE = "data_delete"
DATA_DELETE_VIEW = "data_delete_confirm"

# The prompt coach
COACH_SHORTCUT = "coach_message"  # message shortcut "Prompt verbessern" (manifest: features.shortcuts)
COACH_SHARE = "coach_share"
COACH_HELPFUL = "coach_helpful"
COACH_NOT_HELPFUL = "coach_not_helpful"
TIP_VIEW = "tip_share"

# The workspace's settings
SETUP_VIEW = "workspace_setup"
OPEN_SETUP = "open_setup"  # the button in the installer's welcome

# The 90-day roadmap
ROADMAP_TICK = "roadmap_tick"  # "Erledigt" on a checklist point (admins' App Home)
INVENTORY_OPEN = "inventory_open"  # the button in the Bestandsaufnahme's DM
INVENTORY_VIEW = "inventory"
INVENTORY_IDEA = "inventory_idea"  # "Als Idee anlegen" on a potential text (admins)

# The talent matrix
TALENT_VIEW = "talent"
TALENT_ASSIGN = "talent_assign"  # an admin's menu on a row of the matrix: "<member id>:<role>" ("-": none)

# Pilot cards
PILOT_VIEW = "pilot_card"
