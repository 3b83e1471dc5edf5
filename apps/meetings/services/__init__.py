"""Every write about meetings and votes (DOMAIN §5), one module per concern: `planning` (session, meeting,
agenda, documents), `attendance` (check-in, leave, opening and closing), `votes` (create, open, cast,
close), `records` (the duty records a meeting writes in bulk), `checklists` (agenda checklists per kind of
meeting), `deliberation` (group deliberation and the digests sent to the government), `resolutions`
(implementation items of adopted resolutions, tracked), `paper` (deputies
without phones: bulk check-in and paper ballots confirmed by a second staff member or teller). Reads are
in `selectors`.

Each service checks permission (`get_or_deny` / `require_region`), validates, writes in one transaction and
calls `audit.record` as the LAST statement before commit (the audit chain holds a global lock until commit),
then, after commit, `live.publish(meeting_id)` so the hall, chair and phone screens update.
"""

from apps.accounts.scopes import own_deputy_id

from ..selectors import checkin_open
from .attendance import (
    check_in,
    close_checkin,
    close_meeting,
    decide_leave,
    open_checkin,
    open_meeting,
    request_leave,
    staff_check_in,
)
from .base import AlreadyVoted, MeetingConflict, VoteClosed
from .checklists import (
    add_checklist_entry,
    adopt_default_checklist,
    remove_checklist_entry,
    settle_checklist_item,
    township_lines,
)
from .deliberation import (
    act_on_digest,
    form_group,
    record_opinion,
    recorder_choices,
    remove_opinion,
    send_digest,
    session_reports,
    unit_choices,
)
from .paper import (
    PAPER_FIELDS,
    confirm_paper_ballot,
    confirm_paper_totals,
    enter_paper_totals,
    issue_paper_ballots,
    record_paper_ballot,
    staff_check_in_many,
)
from .planning import (
    add_agenda_item,
    add_document,
    kinds_for,
    plan_meeting,
    plan_session,
    remove_agenda_item,
    remove_document,
)
from .records import append_attendance_records, append_vote_records
from .resolutions import act_on_task, assign_task, attach_task_file
from .tellers import name_tellers, teller_choices, tellers_for_box
from .votes import cast, close_due_votes, close_overdue_vote, close_vote, create_vote, live_state, open_vote

__all__ = [
    "PAPER_FIELDS",
    "AlreadyVoted",
    "MeetingConflict",
    "VoteClosed",
    "act_on_digest",
    "act_on_task",
    "add_agenda_item",
    "add_checklist_entry",
    "add_document",
    "adopt_default_checklist",
    "append_attendance_records",
    "append_vote_records",
    "assign_task",
    "attach_task_file",
    "cast",
    "check_in",
    "checkin_open",
    "close_checkin",
    "close_due_votes",
    "close_meeting",
    "close_overdue_vote",
    "close_vote",
    "confirm_paper_ballot",
    "confirm_paper_totals",
    "create_vote",
    "decide_leave",
    "enter_paper_totals",
    "form_group",
    "issue_paper_ballots",
    "kinds_for",
    "live_state",
    "name_tellers",
    "open_checkin",
    "open_meeting",
    "open_vote",
    "own_deputy_id",
    "plan_meeting",
    "plan_session",
    "record_opinion",
    "record_paper_ballot",
    "recorder_choices",
    "remove_agenda_item",
    "remove_checklist_entry",
    "remove_document",
    "remove_opinion",
    "request_leave",
    "send_digest",
    "session_reports",
    "settle_checklist_item",
    "staff_check_in",
    "staff_check_in_many",
    "teller_choices",
    "tellers_for_box",
    "township_lines",
    "unit_choices",
]
