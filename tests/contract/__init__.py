"""The black-box HTTP contract (CONTRACT.md), run against a served project of every combination."""
