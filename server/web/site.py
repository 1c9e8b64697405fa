"""The guest page and the projector page, served over plain HTTP on the websocket's port.

websockets hands every request to ``process_request`` before the handshake:
an ``Upgrade: websocket`` request goes on to the handshake once its Origin
passes; any other request gets a file from memory. The files are read and
gzip-compressed once, at start. Each response closes its TCP connection
(websockets does not keep HTTP connections alive), so the page is a handful
of small files.
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import hashlib
import html
import ipaddress
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from server.web.qr import qr_svg_for_code

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}
# The files that leave the server, by URL path; nothing else in the package is served.
ASSETS = {
    "/app.js": "app.js",
    "/screen.js": "screen.js",
    "/connection.js": "connection.js",
    "/view.js": "view.js",
    "/i18n.js": "i18n.js",
    "/ui.js": "ui.js",
    "/style.css": "style.css",
    "/favicon.svg": "favicon.svg",
    "/vendor/preact.js": "vendor/preact.js",
    "/vendor/hooks.js": "vendor/hooks.js",
    "/vendor/htm.js": "vendor/htm.js",
    "/vendor/LICENSE-preact.txt": "vendor/LICENSE-preact.txt",
    "/vendor/LICENSE-htm.txt": "vendor/LICENSE-htm.txt",
}
PAGES = {"guest": "index.html", "screen": "screen.html"}
# The join link's code: upper or lower case, short enough for a small QR code.
_CODE_PATH = re.compile(r"^/[jJ]/([A-Za-z0-9]{1,32})/?$")
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
_QR_CACHE_SIZE = 16

# No inline script or style, no eval, no external reference, never in a frame.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'{ws}; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Asset:
    content_type: str
    body: bytes
    gzipped: bytes
    etag: str  # of the identity body; the gzipped variant adds "-gz"


def _asset(name: str, body: bytes) -> Asset:
    suffix = name[name.rfind(".") :]
    digest = hashlib.sha256(body).hexdigest()[:20]
    # mtime=0: the same bytes at every start, so the ETag's variant stays meaningful.
    return Asset(CONTENT_TYPES[suffix], body, gzip.compress(body, 9, mtime=0), f'"{digest}"')


def read_package_file(name: str) -> bytes:
    return resources.files("server.web").joinpath(name).read_bytes()


@functools.cache
def static_assets() -> dict[str, Asset]:
    """The files, read and compressed once per process (they are the package's own)."""
    return {path: _asset(name, read_package_file(name)) for path, name in ASSETS.items()}


class WebSite:
    """Everything the browser may fetch, held in memory."""

    def __init__(self, public_url: str, extra_origins: Iterable[str] = ()) -> None:
        self.assets = static_assets()
        self.extra_origins = {_origin(o) for o in extra_origins}
        self.set_public_url(public_url)

    def set_public_url(self, public_url: str) -> None:
        """The guest-facing address (http:// or https://): the pages, the QR codes and
        the origins allowed follow it."""
        self.public_url = public_url.rstrip("/") + "/"
        # The pages carry it for the join link the projector page shows.
        meta = html.escape(self.public_url, quote=True)
        self.pages: dict[str, Asset] = {
            page: _asset(name, read_package_file(name).replace(b"{{PUBLIC_URL}}", meta.encode()))
            for page, name in PAGES.items()
        }
        self.allowed_origins = {_origin(self.public_url)} | self.extra_origins
        self._qr_cache: OrderedDict[str, Asset] = OrderedDict()

    @property
    def weight_gzipped(self) -> int:
        """Bytes a first visit downloads (the guest page and every file it loads)."""
        return len(self.pages["guest"].gzipped) + sum(
            len(asset.gzipped) for path, asset in self.assets.items() if path.endswith((".js", ".css"))
        )

    # --- websocket upgrades ---------------------------------------------------------

    def origin_allowed(self, request: Request) -> bool:
        """The page's own origin(s), the configured ones, and no Origin at all.

        The terminal client sends no Origin. A browser always does: a page from
        another site must not open a websocket here in a guest's name. "Own"
        means the Host the request was sent to, when that Host is an address or
        ``localhost`` (a DNS name could be rebound to this machine by a hostile
        page), or the public URL's origin, or one given with ``--origin``.
        """
        origins = request.headers.get_all("Origin")
        if not origins:
            return True
        if len(origins) > 1:
            return False
        origin = origins[0]
        if origin in self.allowed_origins:
            return True
        host = _header(request, "Host")
        parsed = urlsplit(origin)
        if parsed.scheme not in ("http", "https") or not host or parsed.netloc != host:
            return False
        return _is_address_or_localhost(parsed.hostname or "")

    # --- plain HTTP -----------------------------------------------------------------

    def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            response = _plain(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD.\n")
            response.headers["Allow"] = "GET, HEAD"
            return response
        split = urlsplit(request.path)
        path = split.path
        asset: Asset | None
        if path == "/" or _CODE_PATH.match(path):
            asset = self.pages["guest"]
        elif path in ("/screen", "/screen/"):
            asset = self.pages["screen"]
        elif path == "/favicon.ico":
            asset = self.assets["/favicon.svg"]
        elif path == "/qr.svg":
            asset = self._qr(parse_qs(split.query).get("code", [""])[0])
        else:
            asset = self.assets.get(path)
        if asset is None:
            return _plain(HTTPStatus.NOT_FOUND, "Not found.\n")
        return _file(request, asset)

    def _qr(self, code: str) -> Asset | None:
        """The QR code of the join link for ``code`` (any well-formed code: this
        says nothing about which code is right, it only draws the link)."""
        if not re.fullmatch(r"[A-Za-z0-9]{1,32}", code):
            return None
        code = code.upper()
        cached = self._qr_cache.get(code)
        if cached is None:
            cached = _asset("qr.svg", qr_svg_for_code(self.public_url, code).encode())
            self._qr_cache[code] = cached
            if len(self._qr_cache) > _QR_CACHE_SIZE:
                self._qr_cache.popitem(last=False)
        return cached


def _origin(url: str) -> str:
    parsed = urlsplit(url)
    return f"{parsed.scheme}://{parsed.netloc}"


def _is_address_or_localhost(hostname: str) -> bool:
    if hostname == "localhost":
        return True
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return True


def _header(request: Request, name: str) -> str:
    """One header's value; a header sent twice counts as none (never a crash)."""
    values = request.headers.get_all(name)
    return values[0] if len(values) == 1 else ""


def _security_headers(request: Request) -> list[tuple[str, str]]:
    host = _header(request, "Host")
    # Some browsers did not count ws: as 'self' in connect-src: name the websocket itself.
    ws = f" ws://{host} wss://{host}" if _HOST.match(host) else ""
    return [
        ("Content-Security-Policy", _CSP.format(ws=ws)),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
    ]


def _file(request: Request, asset: Asset) -> Response:
    wants_gzip = "gzip" in ", ".join(request.headers.get_all("Accept-Encoding"))
    etag = asset.etag[:-1] + '-gz"' if wants_gzip else asset.etag
    body = asset.gzipped if wants_gzip else asset.body
    headers = Headers(
        [
            ("Date", email.utils.formatdate(usegmt=True)),
            ("Connection", "close"),
            ("Content-Type", asset.content_type),
            ("ETag", etag),
            ("Cache-Control", "no-cache"),  # revalidate: a restart may bring new files
            ("Vary", "Accept-Encoding"),
            *_security_headers(request),
        ]
    )
    if wants_gzip:
        headers["Content-Encoding"] = "gzip"
    if etag in _etags(", ".join(request.headers.get_all("If-None-Match"))):
        return Response(HTTPStatus.NOT_MODIFIED.value, HTTPStatus.NOT_MODIFIED.phrase, headers, b"")
    headers["Content-Length"] = str(len(body))
    if request.method == "HEAD":
        body = b""
    return Response(HTTPStatus.OK.value, HTTPStatus.OK.phrase, headers, body)


def _etags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def _plain(status: HTTPStatus, text: str) -> Response:
    body = text.encode()
    headers = Headers(
        [
            ("Date", email.utils.formatdate(usegmt=True)),
            ("Connection", "close"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
        ]
    )
    return Response(status.value, status.phrase, headers, body)
