"""The template's own tests: validation, fast render checks and full runs of rendered projects."""
