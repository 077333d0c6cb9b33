"""The host products that embed Faro (identity, origins, CORS); see hosts/identity.py."""
