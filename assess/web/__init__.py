"""The web wing."""
