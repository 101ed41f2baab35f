"""`new-domain`: write a domain the way the sample domain is written, and register it."""
