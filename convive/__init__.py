"""The ``convive`` command: the one place that composes the server and the client."""
