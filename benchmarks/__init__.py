"""Benchmarks: convive against a bare websockets relay, in the same run.

``python -m benchmarks --help``; see docs/benchmarks.md.
"""
