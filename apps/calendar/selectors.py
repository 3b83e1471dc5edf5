"""Reads for pages: the home page shows `holiday_warning(today)` to staff."""

from .services import holiday_warning, unannounced_years

__all__ = ["holiday_warning", "unannounced_years"]
