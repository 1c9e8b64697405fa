"""Token buckets, kept in memory only (never written anywhere)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """``burst`` actions at once, then ``per_second`` on average, per key."""

    def __init__(
        self, burst: int, per_second: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self._clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}

    def _refilled(self, key: Hashable) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        return bucket

    def wait_ms(self, key: Hashable) -> int:
        """0 when a token is available, else the milliseconds until one is."""
        bucket = self._refilled(key)
        if bucket.tokens >= 1:
            return 0
        return max(1, int((1 - bucket.tokens) / self.per_second * 1000) + 1)

    def take(self, key: Hashable) -> int:
        """Take one token: 0 when allowed, else the milliseconds to wait."""
        wait = self.wait_ms(key)
        if wait == 0:
            self._buckets[key].tokens -= 1
        return wait

    def forget(self, key: Hashable) -> None:
        self._buckets.pop(key, None)
