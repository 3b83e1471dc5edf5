"""Helpers every opinions page shares."""

from __future__ import annotations

import re
from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from apps.common.params import ID

# Transitions whose form is open on arrival: the next step of the usual path.
MAIN_STEPS = {"accept", "take", "assign", "reply", "visit", "close"}
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Ids in links and filters, each named in its error message.
STATION_ID = replace(ID, label=_("联络站"))
UNIT_ID = replace(ID, label=_("承办单位"))
DAY_ID = replace(ID, label=_("接待日"))
