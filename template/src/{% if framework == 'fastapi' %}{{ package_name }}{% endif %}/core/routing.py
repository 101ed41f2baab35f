"""The API version prefix every router path starts with."""

# Routers carry the full prefix themselves, so a route's own path is its public
# template (metrics labels, logs and the route-walk tests read it directly).
API_V1 = "/api/v1"
