"""Management commands of schema tenancy."""
