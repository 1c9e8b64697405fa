"""Issue 6, item 11: ``convive serve --certfile --keyfile`` serves wss://.

A self-signed certificate for localhost and 127.0.0.1 is made in the test; a
raw websockets client trusts it as its CA (the client's ``--cafile`` option
does the same), and a client that does not trust it is refused.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from convive.cli import main
from tests.server.process import ServeProcess
from tests.wire import WireClient


def make_self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, its own CA; returns (cert, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "convive test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


async def test_serve_wss_with_a_self_signed_certificate(tmp_path: Path) -> None:
    cert, key = make_self_signed(tmp_path)
    serve = await asyncio.to_thread(
        ServeProcess.start, tmp_path / "tls.db", "--certfile", str(cert), "--keyfile", str(key)
    )
    try:
        assert serve.url.startswith("wss://localhost:")
        trusting = ssl.create_default_context(cafile=str(cert))
        client = WireClient(await _connect(serve.url, trusting))
        welcome = await client.hello(role="participant", join_code=serve.join_code, name="Alice")
        assert welcome["type"] == "welcome"
        assert (await client.command("post_message", text="chiffré"))["type"] == "ack"
        await client.close()
        # A client that does not trust the certificate is refused at the TLS handshake.
        with pytest.raises(ssl.SSLCertVerificationError):
            await _connect(serve.url, ssl.create_default_context())
        # Plain ws:// to a wss:// port gets nowhere.
        with pytest.raises(Exception):  # noqa: B017 - the flavour depends on timing
            await _connect(serve.url.replace("wss://", "ws://"), None)
        # The health check is served over https too.
        port = serve.url.rsplit(":", 1)[1].strip("/")

        def health() -> int:
            with urllib.request.urlopen(f"https://localhost:{port}/healthz", context=trusting) as response:
                return int(response.status)

        assert await asyncio.to_thread(health) == 200
    finally:
        assert serve.terminate() == 0


async def _connect(url: str, context: ssl.SSLContext | None):  # type: ignore[no-untyped-def]
    from websockets.asyncio.client import connect

    return await asyncio.wait_for(connect(url, ssl=context, max_size=None), 10)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--certfile", "cert.pem"], "go together"),
        (["--certfile", "missing.pem", "--keyfile", "missing.key"], "cannot read"),
        (["--certfile", "cert.pem", "--keyfile", "other.pem"], "do not fit"),
    ],
)
def test_bad_tls_options_are_refused_clearly(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    make_self_signed(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    _, other_key = make_self_signed(other)
    other_key.rename(tmp_path / "other.pem")
    assert main(["serve", "--db", str(tmp_path / "x.db"), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
