"""The fields of the forms (a modal's input block ids; their action ids are the same). A refusal names the
field it belongs to, so that the form shows it there; the renderers build the forms with the same ids."""

# Logging time saved
MINUTES = "minutes"
TOOL = "tool"
USE_CASE = "use_case"
NOTE = "note"
DATE = "date"
# The log form's field that creates a use case on the spot
NEW_USE_CASE = "new_use_case"

# Profile
DEPARTMENT = "department"
TRACK = "track"
ANNOUNCE_STAGE = "announce_stage"

# Use cases
TITLE = "title"
ESTIMATE = "estimate"
STATUS = "status"
LEARNING = "learning"

# Self-check: one field per dimension, this prefix and the dimension's key
CHECK_DIMENSION_PREFIX = "dimension:"

# Rating an ended buddy programme (its comment is NOTE)
RATING = "buddy_rating_score"

# Rituals
SUMMARY = "summary"
SUMMARY_LINK = "summary_link"
RETRO_WORKS = "works"
RETRO_BLOCKS = "blocks"
RETRO_NEEDS = "needs"
RETRO_RATING = "rating"

# Erasure, confirmed by typing a word
DATA_CONFIRM = "data_delete_word"

# Sharing a tip through a form (the prompt coach's "Als Tipp teilen")
TIP_TEXT = "tip_text"
TIP_ANONYMOUS = "tip_anonymous"

# The workspace setup form: one field per setting, named after it (`setup:community_channel`, …).
SETUP_PREFIX = "setup:"

# The roadmap's Bestandsaufnahme
INVENTORY_TOOLS = "inventory_tools"
INVENTORY_POTENTIAL = "inventory_potential"
INVENTORY_HOURS = "inventory_hours"
INVENTORY_CHAMPION = "inventory_champion"

# The talent matrix form
TALENT_CONSENT = "talent_consent"
TALENT_ROLES = "talent_roles"
TALENT_STRENGTHS = "talent_strengths"

# A pilot project's card
PILOT_TEAM = "pilot_team"
PILOT_GOAL = "pilot_goal"
PILOT_METRIC = "pilot_metric"
PILOT_BASELINE = "pilot_baseline"
PILOT_DEADLINE = "pilot_deadline"
