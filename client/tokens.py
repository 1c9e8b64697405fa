"""Resume tokens kept in the user's data directory, per server URL, role and epoch.

With the token, restarting the client rejoins as the same participant. The
file is private to the user (0600): a token is a credential.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True)
class Saved:
    token: str
    epoch: str
    name: str | None


class TokenStore:
    def __init__(self, directory: str | Path | None = None) -> None:
        base = (
            directory
            or os.environ.get("CONVIVE_DATA_DIR")
            or platformdirs.user_data_dir("convive", appauthor=False)
        )
        self.path = Path(base) / "tokens.json"

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _key(url: str, role: str) -> str:
        return f"{role} {url.rstrip('/')}"

    def load(self, url: str, role: str) -> Saved | None:
        entry = self._read().get(self._key(url, role))
        if not isinstance(entry, dict) or not entry.get("token") or not entry.get("epoch"):
            return None
        return Saved(entry["token"], entry["epoch"], entry.get("name"))

    def save(self, url: str, role: str, saved: Saved) -> None:
        data = self._read()
        entry = {"token": saved.token, "epoch": saved.epoch}
        if saved.name:
            entry["name"] = saved.name
        data[self._key(url, role)] = entry
        self._write(data)

    def forget(self, url: str, role: str) -> None:
        data = self._read()
        if data.pop(self._key(url, role), None) is not None:
            self._write(data)

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1)
            os.replace(tmp, self.path)
