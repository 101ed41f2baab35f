"""E-mail messages: templates (templates/, one layout every message extends) and building them."""
