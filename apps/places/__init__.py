"""Regions, liaison stations and handling units (DOMAIN §1)."""
