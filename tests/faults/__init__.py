"""Fault tests: a served project of every combination under PgBouncer, restarts and crashes."""
