"""The one exception of the documents package."""


class DocumentError(Exception):
    """A document cannot be produced: an unknown document id, or a problem in a template (the
    message names the template file and, where known, the line)."""
