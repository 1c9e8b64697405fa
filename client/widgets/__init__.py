"""Widgets of the convive client; each renders user text literally (see ``render``)."""
