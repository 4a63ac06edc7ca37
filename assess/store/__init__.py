"""The store wing."""
