"""django-tenants' PostgreSQL backend, with the tenant's schema chosen per transaction."""
