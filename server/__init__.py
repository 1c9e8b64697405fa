"""The convive debate server."""
