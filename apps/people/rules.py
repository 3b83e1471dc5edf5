"""Pure rules about people: no database, no side effects."""

import re

from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def validate_phone(phone: str):
    """None when `phone` is a mainland mobile number (11 digits starting 13-19), else the reason."""
    return None if _MOBILE.match((phone or "").strip()) else _("手机号码应为11位数字，以13-19开头")


def validate_id_number(number: str):
    """None when the 18-character resident ID has a correct check digit (GB 11643), else the reason."""
    number = (number or "").strip().upper()
    if not re.match(r"^\d{17}[\dX]$", number):
        return _("身份证号应为18位")
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return None if _ID_CHECK[total % 11] == number[-1] else _("身份证号校验位不正确")
