"""Users, login, roles and scopes: the one permission layer."""
