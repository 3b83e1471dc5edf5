"""Shared helpers: domain errors, pagination, Excel export."""
