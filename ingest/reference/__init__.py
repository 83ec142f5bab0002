"""Generators for the reference seeds in `seeds/reference/` (run by hand, output committed)."""
