"""The formats wing."""
