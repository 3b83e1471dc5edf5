"""Pages of 社情民意, one module per concern; urls.py reads them from here."""

from .imports import import_template, ledger_import
from .items import (
    act,
    attach,
    attachment,
    detail,
    new,
    opinion_list,
    stats,
)
from .public import (
    public_attachment,
    public_new,
    public_thanks,
    station_qr,
    track,
)
from .reception import (
    reception_day,
    reception_list,
    reception_plan,
)

__all__ = [
    "act",
    "attach",
    "attachment",
    "detail",
    "import_template",
    "ledger_import",
    "new",
    "opinion_list",
    "public_attachment",
    "public_new",
    "public_thanks",
    "reception_day",
    "reception_list",
    "reception_plan",
    "station_qr",
    "stats",
    "track",
]
