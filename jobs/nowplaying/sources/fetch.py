"""One GET of one page, the way both sources need it: retries with capped backoff for 5xx, timeouts and
malformed bodies; rate-limit headers respected; a 429 waited out when the reset is near.

Outcomes the sources act on:
- a decoded JSON page (`Page`), with the response headers (for Link) and the number of attempts;
- `Stop(reason)`: the run should end cleanly with what it has (rate limit far away, outage);
- `Denied(status, body)`: 401/402/403, the caller names the credential or plan;
- `Rejected(status, detail)`: another 4xx, a request the API will never accept.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # per page, for 5xx / timeouts / malformed bodies
    backoff: float = 0.5  # first delay, doubled each retry
    backoff_cap: float = 8.0
    max_wait: float = 60.0  # longest rate-limit wait; longer -> the run ends with what it read
    rate_limit_waits: int = 5  # 429s waited out per page before giving up


class Stop(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Denied(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status, self.detail = status, detail


class Rejected(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HTTP {status}: {detail}")
        self.status, self.detail = status, detail


@dataclass
class Page:
    body: Any
    headers: httpx.Headers
    url: httpx.URL


@dataclass
class Counters:
    requests: int = 0
    retries: int = 0
    malformed_pages: int = 0
    rate_limit_waits: int = 0
    waited_seconds: float = 0.0


@dataclass
class RateLimit:
    """What the last answer said about the window: remaining requests and when it resets (epoch)."""

    remaining: int | None = None
    reset_at: float | None = None

    def update(self, headers: httpx.Headers) -> None:
        remaining = headers.get("x-rate-limit-remaining") or headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip().lstrip("-").isdigit():
            self.remaining = int(remaining)
        reset = reset_epoch(headers)
        if reset is not None:
            self.reset_at = reset


def reset_epoch(headers: httpx.Headers, now: float | None = None) -> float | None:
    """When the rate window resets, from Retry-After (seconds or HTTP date), x-rate-limit-reset (X: epoch
    seconds) or X-RateLimit-Reset (Mastodon: ISO 8601)."""
    now = time.time() if now is None else now
    retry_after = headers.get("retry-after")
    if retry_after:
        value = retry_after.strip()
        if value.isdigit():
            return now + int(value)
        try:
            return parsedate_to_datetime(value).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    reset = headers.get("x-rate-limit-reset") or headers.get("x-ratelimit-reset")
    if reset:
        value = reset.strip()
        try:
            number = float(value)
            # Epoch seconds; a small number is a delta (some servers send seconds-to-reset).
            return number if number > 1_000_000_000 else now + number
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    return None


@dataclass
class Fetcher:
    client: httpx.Client
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    counters: Counters = field(default_factory=Counters)
    rate: RateLimit = field(default_factory=RateLimit)
    sleep: Callable[[float], None] = time.sleep

    def _wait_for_window(self) -> None:
        """Before a request: if the window is used up, wait for its reset when near, else stop."""
        if self.rate.remaining is None or self.rate.remaining > 0 or self.rate.reset_at is None:
            return
        wait = self.rate.reset_at - time.time()
        if wait <= 0:
            return
        if wait > self.policy.max_wait:
            raise Stop(f"rate limit used up, resets in {wait:.0f} s (> {self.policy.max_wait:.0f} s max wait)")
        self._sleep_for_rate(wait)

    def _sleep_for_rate(self, seconds: float) -> None:
        self.counters.rate_limit_waits += 1
        self.counters.waited_seconds += seconds
        log.info("rate limited: waiting %.1f s for the window to reset", seconds)
        self.sleep(seconds)
        self.rate.remaining = None

    def _backoff(self, attempt: int) -> float:
        delay = min(self.policy.backoff * (2 ** attempt), self.policy.backoff_cap)
        return delay + random.uniform(0, delay / 4)

    def get(self, url: str | httpx.URL, params: dict[str, Any] | None = None,
            headers: dict[str, str] | None = None) -> Page:
        failures = 0
        rate_waits = 0
        last = ""
        while True:
            self._wait_for_window()
            self.counters.requests += 1
            try:
                response = self.client.get(url, params=params, headers=headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last = f"{type(exc).__name__}"
                failures = self._retry_or_stop(failures, last)
                continue
            self.rate.update(response.headers)
            status = response.status_code
            if status == 200:
                try:
                    # Invalid UTF-8 becomes U+FFFD instead of failing the whole page.
                    body = json.loads(response.content.decode("utf-8", errors="replace"))
                except ValueError:
                    self.counters.malformed_pages += 1
                    last = "malformed JSON"
                    failures = self._retry_or_stop(failures, last)
                    continue
                return Page(body, response.headers, response.url)
            if status == 429:
                rate_waits += 1
                reset = reset_epoch(response.headers)
                wait = max(0.0, (reset or time.time() + self.policy.backoff) - time.time())
                if wait > self.policy.max_wait:
                    raise Stop(f"rate limited (429), resets in {wait:.0f} s (> {self.policy.max_wait:.0f} s max wait)")
                if rate_waits > self.policy.rate_limit_waits:
                    raise Stop(f"rate limited (429) {rate_waits} times in a row")
                self._sleep_for_rate(max(wait, 0.05))
                continue
            if status in (401, 402, 403):
                raise Denied(status, _detail(response))
            if status >= 500 or status == 408:
                last = f"HTTP {status}"
                failures = self._retry_or_stop(failures, last)
                continue
            raise Rejected(status, _detail(response))

    def _retry_or_stop(self, failures: int, what: str) -> int:
        failures += 1
        if failures >= self.policy.attempts:
            raise Stop(f"{what} after {failures} attempts")
        self.counters.retries += 1
        delay = self._backoff(failures - 1)
        log.info("retrying in %.1f s after %s", delay, what)
        self.sleep(delay)
        return failures


def _detail(response: httpx.Response) -> str:
    """One line from an error body: X's problem `detail`/`title`, Mastodon's `error`, or the status."""
    try:
        body = json.loads(response.content.decode("utf-8", errors="replace"))
    except ValueError:
        return response.reason_phrase or f"HTTP {response.status_code}"
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict) and errors[0].get("message"):
            return str(errors[0]["message"])[:300]
        for key in ("detail", "error", "title", "message"):
            if isinstance(body.get(key), str):
                return body[key][:300]
    return response.reason_phrase or f"HTTP {response.status_code}"
