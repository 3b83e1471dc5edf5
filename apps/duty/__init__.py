"""Deputies' duty record ledger (DOMAIN §8)."""
