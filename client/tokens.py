"""Identities kept in the user's data directory, per server URL and role.

An identity is a resume token (with the debate's epoch and the name it joined
under) and the secrets that withdraw its anonymous questions. With it,
restarting the client rejoins as the same participant, who can still withdraw
what they asked anonymously. Several people may join the same server from one
machine (one after the other): each keeps an identity, found again by name.

The directory is ``$CONVIVE_DATA_DIR`` or the platform's user data directory
(``~/.local/share/convive`` on Linux). The file is private to the user (0600):
a token and a secret are credentials.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

DATA_DIR_VARIABLE = "CONVIVE_DATA_DIR"


@dataclass(frozen=True)
class Saved:
    token: str
    epoch: str
    name: str | None
    # The name asked for, when the server had to change it ("Marc (2)").
    asked: str | None = None
    # question id -> the secret that alone withdraws that anonymous question.
    secrets: dict[str, str] = field(default_factory=dict)

    def answers_to(self, name: str) -> bool:
        wanted = name.strip().casefold()
        return any(known and known.strip().casefold() == wanted for known in (self.name, self.asked))

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"token": self.token, "epoch": self.epoch}
        if self.name:
            entry["name"] = self.name
        if self.asked and self.asked != self.name:
            entry["asked"] = self.asked
        if self.secrets:
            entry["secrets"] = dict(self.secrets)
        return entry

    @classmethod
    def from_json(cls, entry: object) -> Saved | None:
        if not isinstance(entry, dict):
            return None
        token, epoch = entry.get("token"), entry.get("epoch")
        if not isinstance(token, str) or not token or not isinstance(epoch, str) or not epoch:
            return None
        name, asked, secrets = entry.get("name"), entry.get("asked"), entry.get("secrets")
        return cls(
            token,
            epoch,
            name if isinstance(name, str) else None,
            asked if isinstance(asked, str) else None,
            {str(k): v for k, v in secrets.items() if isinstance(v, str)}
            if isinstance(secrets, dict)
            else {},
        )


class TokenStore:
    def __init__(self, directory: str | Path | None = None) -> None:
        base = (
            directory
            or os.environ.get(DATA_DIR_VARIABLE)
            or platformdirs.user_data_dir("convive", appauthor=False)
        )
        self.path = Path(base) / "tokens.json"

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _key(url: str, role: str) -> str:
        return f"{role} {url.rstrip('/')}"

    def identities(self, url: str, role: str) -> list[Saved]:
        """The identities kept for this server and role, the last used first."""
        entries = self._read().get(self._key(url, role))
        if isinstance(entries, dict):  # the file's first format: one identity
            entries = [entries]
        if not isinstance(entries, list):
            return []
        return [saved for saved in map(Saved.from_json, entries) if saved is not None]

    def load(self, url: str, role: str, name: str | None = None) -> Saved | None:
        """The last identity used, or the one known by ``name`` (None if there is none:
        a name that differs from every saved identity is someone new)."""
        identities = self.identities(url, role)
        if name is None:
            return identities[0] if identities else None
        return next((saved for saved in identities if saved.answers_to(name)), None)

    def save(self, url: str, role: str, saved: Saved) -> None:
        """Keep ``saved`` as the last identity used; an identity with the same token
        keeps its secrets (same debate) and its asked-for name."""
        identities = self.identities(url, role)
        before = next((known for known in identities if known.token == saved.token), None)
        if before is not None and before.epoch == saved.epoch:
            saved = Saved(
                saved.token,
                saved.epoch,
                saved.name,
                saved.asked or before.asked,
                {**before.secrets, **saved.secrets},
            )
        rest = [known for known in identities if known.token != saved.token]
        self._put(url, role, [saved, *rest])

    def forget(self, url: str, role: str, token: str | None = None) -> None:
        """Forget the identity with ``token`` (every identity for this server if None)."""
        identities = self.identities(url, role)
        kept = [known for known in identities if token is not None and known.token != token]
        if len(kept) != len(identities):
            self._put(url, role, kept)

    def set_secrets(self, url: str, role: str, token: str, secrets: dict[str, str]) -> None:
        """The secrets of the identity with ``token``'s anonymous questions, now."""
        identities = self.identities(url, role)
        for index, known in enumerate(identities):
            if known.token == token:
                if known.secrets != secrets:
                    identities[index] = Saved(
                        known.token, known.epoch, known.name, known.asked, dict(secrets)
                    )
                    self._put(url, role, identities)
                return

    def _put(self, url: str, role: str, identities: list[Saved]) -> None:
        data = self._read()
        key = self._key(url, role)
        if identities:
            data[key] = [saved.to_json() for saved in identities]
        else:
            data.pop(key, None)
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)  # a leftover .tmp keeps its mode through O_TRUNC
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1)
            os.replace(tmp, self.path)
