"""Calendar invites (.ics) for rituals, with the local time zone so calendars show the right hour.

icalendar is imported when an invite is made (twice a month), not when the bot starts."""

from __future__ import annotations

from datetime import datetime, timedelta


def invite(uid: str, title: str, description: str, starts_at: datetime, minutes: int, now: datetime) -> bytes:
    """One VEVENT in the event's own time zone (VTIMEZONE included), e.g. 15:00 Europe/Berlin."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//KI-Lotse//Rituale//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("summary", title)
    event.add("description", description)
    event.add("dtstart", starts_at)
    event.add("dtend", starts_at + timedelta(minutes=minutes))
    event.add("dtstamp", now)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
