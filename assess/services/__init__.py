"""The services wing: one function per use case, called by the web views and the CLI alike.

A service takes the database connection and plain values, composes store functions (in one
transaction where it writes several things) with the core's rules, and returns plain data.
"""
