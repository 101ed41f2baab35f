"""Role-based access control: roles map to permissions in the database."""
