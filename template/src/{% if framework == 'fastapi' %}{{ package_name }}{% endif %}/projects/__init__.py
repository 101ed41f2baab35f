"""The projects domain."""
