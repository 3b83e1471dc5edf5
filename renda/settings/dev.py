from .base import *  # noqa: F403
from .base import RENDA

# The demo (`make run`) shows a sign-in code on the page as well as in the log (issue 17).
RENDA["SMS_CODE_SHOWN_ON_PAGE"] = True
