"""Working days, holidays and deadlines."""
