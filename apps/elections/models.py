"""Models: see docs/ARCHITECTURE.md."""
