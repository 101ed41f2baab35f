"""Row-level tenancy: a tenant_id column on tenant tables, enforced by PostgreSQL RLS."""
