"""Live screens: after a meeting changes (check-in, vote opened, ballot cast, vote closed), the services
call `publish(meeting_id)` and every connected hall, chair and phone screen of that meeting updates.

(Wired to Channels in issue #6 by the live-screens work; this module is its one entry point.)
"""


def publish(meeting_id: int, *, final: bool = False) -> None:
    """Tell every screen of the meeting to refresh its state; `final` when a vote has just closed."""
    return None
