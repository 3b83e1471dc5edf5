"""Pages of 代表建议 and 议案, one module per concern; urls.py reads them from here."""

from .imports import import_template, ledger_import
from .invitations import invitations
from .items import (
    act,
    cohandling,
    consult,
    detail,
    edit,
    key,
    letter,
    new,
    publish,
    rate,
    sign,
    suggestion_list,
    visit,
)
from .motions import (
    motion_act,
    motion_detail,
    motion_list,
    motion_new,
    motion_sign,
)
from .public import (
    public_detail,
    public_list,
)
from .stats import (
    awards,
    stats,
)

__all__ = [
    "act",
    "awards",
    "cohandling",
    "consult",
    "detail",
    "edit",
    "import_template",
    "invitations",
    "key",
    "ledger_import",
    "letter",
    "motion_act",
    "motion_detail",
    "motion_list",
    "motion_new",
    "motion_sign",
    "new",
    "public_detail",
    "public_list",
    "publish",
    "rate",
    "sign",
    "stats",
    "suggestion_list",
    "visit",
]
