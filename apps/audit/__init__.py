"""The hash-chained, append-only event log."""
