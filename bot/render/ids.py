"""Action ids and view callback ids: what renderers put on buttons and modals, and handlers listen for."""

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

# Inputs of the modals: block ids (action ids are the same)
MINUTES = "minutes"
TOOL = "tool"
USE_CASE = "use_case"
NOTE = "note"
DATE = "date"
DEPARTMENT = "department"
TRACK = "track"
TITLE = "title"
ESTIMATE = "estimate"
STATUS = "status"
LEARNING = "learning"
CHECK_DIMENSION_PREFIX = "dimension:"
# The track choice that sends a person to the self-check instead.
TRACK_UNKNOWN = "unknown"

# Buddy programme
BUDDY_JOIN = "buddy_join"
CHECKIN_ANSWER = "buddy_checkin_answer"
FEEDBACK_DECISION = "buddy_feedback"
RATING_OPEN = "buddy_rating_open"
RATING_VIEW = "buddy_rating"
RATING = "buddy_rating_score"

# Rituals
RSVP = "ritual_rsvp"
SUMMARY_OPEN = "ritual_summary_open"
SUMMARY_VIEW = "ritual_summary"
SUMMARY = "summary"
SUMMARY_LINK = "summary_link"
RETRO_OPEN = "retro_open"
RETRO_VIEW = "retro"
RETRO_WORKS = "works"
RETRO_BLOCKS = "blocks"
RETRO_NEEDS = "needs"
RETRO_RATING = "rating"

# A person's own log entries
UNDO_LOG = "log_undo"
EDIT_LOG = "log_edit"
DELETE_LOG = "log_delete"
# The log modal's field that creates a use case on the spot
NEW_USE_CASE = "new_use_case"

# A person's data rights (`/ki daten`)
DATA_EXPORT = "data_export"
DATA_DELETE = "data_delete"
DATA_DELETE_VIEW = "data_delete_confirm"
DATA_CONFIRM = "data_delete_word"
