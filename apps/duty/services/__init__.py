"""Every write of the duty ledger (DOMAIN §8): platform records, self-reported records and their review, the
year's points table, scores and ranks, quarterly publication, and the name-plate scheme.

Later features (opinions, suggestions, sessions, the archive) call `append_platform_record`; deputies and
staff enter the rest for the township office to review. A record counts only when approved; a change to a
counted record recomputes that deputy's score and the town's ranks after commit.

One module per concern: `records` (platform and self-reported records, review), `table` (the points table),
`scores` (scores and ranks), `publishing` (the quarter's publication), `plates` (the name-plate scheme);
`base` holds the county-office check. Reads, with `counts_by_deputy` and `table_rows`, are in selectors."""

from apps.accounts.scopes import own_deputy_id

from .plates import plate_action
from .publishing import publish_due, publish_quarter, snapshot_scores
from .records import (
    ENTRY_FIELDS,
    append_platform_record,
    approve_many,
    create_record,
    refuse_platform,
    review_record,
    update_record,
    withdraw_record,
)
from .scores import recompute, rerank_towns
from .table import copy_table, save_table

__all__ = [
    "ENTRY_FIELDS",
    "append_platform_record",
    "approve_many",
    "copy_table",
    "create_record",
    "own_deputy_id",
    "plate_action",
    "publish_due",
    "publish_quarter",
    "recompute",
    "refuse_platform",
    "rerank_towns",
    "review_record",
    "save_table",
    "snapshot_scores",
    "update_record",
    "withdraw_record",
]
