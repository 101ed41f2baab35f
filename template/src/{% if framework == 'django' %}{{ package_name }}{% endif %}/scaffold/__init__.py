"""`new-domain`: write a Django app in the sample's pattern and register it in domains.py."""
