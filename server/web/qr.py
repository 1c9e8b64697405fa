"""The QR code of the join link, as SVG (segno: pure Python, maintained)."""

from __future__ import annotations

import io

import segno

from shared.joinlink import join_link, join_link_for_qr

__all__ = ["join_link", "qr_svg"]


def qr_svg(link: str) -> str:
    """A standalone SVG (it scales: viewBox, no size), dark on white, quiet zone of 4."""
    code = segno.make(link, error="m")
    out = io.BytesIO()
    code.save(
        out, kind="svg", xmldecl=False, omitsize=True, border=4, dark="#000", light="#fff",
        svgclass=None, lineclass=None, title=link,
    )
    return out.getvalue().decode()


def qr_svg_for_code(public_url: str, code: str) -> str:
    return qr_svg(join_link_for_qr(public_url, code))
