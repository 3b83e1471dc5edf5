"""Deputies, mandates, groups, households and voters (DOMAIN §2)."""
