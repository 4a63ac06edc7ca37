"""The services wing."""
