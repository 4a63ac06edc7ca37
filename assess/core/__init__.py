"""The core wing."""
