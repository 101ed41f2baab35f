"""The invitations domain: joining an organization by an e-mailed link."""
