"""Django's PostgreSQL backend, with migrations that keep a Citus cluster's tables placed."""
