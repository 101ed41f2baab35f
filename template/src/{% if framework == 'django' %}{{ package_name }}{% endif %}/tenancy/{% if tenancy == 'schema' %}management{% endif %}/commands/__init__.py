"""migrate_status: which tenant schemas are not at the latest migration."""
