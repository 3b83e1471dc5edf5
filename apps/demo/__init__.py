"""Demo county and benchmark data."""
