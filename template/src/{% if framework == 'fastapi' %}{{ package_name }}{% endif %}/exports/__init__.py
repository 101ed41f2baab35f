"""Whole-organization exports: an archive of every row an organization owns."""
