"""JWT authentication: short access tokens and rotating, hashed refresh tokens."""
