"""HTTP plumbing shared by the API clients: retries, rate limits, a request budget, counters.

- 5xx answers, timeouts, broken connections and unparseable JSON are retried with capped exponential
  backoff and full jitter;
- 429 waits for Retry-After (capped) and then retries;
- every attempt counts against a per-run budget (`RequestBudget`), so a run can never spend more
  requests than configured, whatever the retries;
- `counts` holds requests by endpoint label, for run statistics.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from nowplaying.errors import NowPlayingError

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {500, 502, 503, 504}


class BudgetExhausted(NowPlayingError):
    """The run's request budget is spent; callers degrade (cache only, no features) instead of failing."""


class ApiError(NowPlayingError):
    """A non-retryable answer (or retries exhausted): status and the API's own message."""

    def __init__(self, endpoint: str, status: int | None, message: str) -> None:
        super().__init__(f"{endpoint}: HTTP {status if status is not None else '-'}: {message}")
        self.endpoint = endpoint
        self.status = status
        self.message = message


class RequestBudget:
    """A thread-safe request counter with a ceiling (0 = no requests allowed, None = unlimited)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            if self.limit is not None and self.used >= self.limit:
                raise BudgetExhausted(f"request budget of {self.limit} spent")
            self.used += 1

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)


def error_message(response: httpx.Response) -> str:
    """The API's message from Spotify-style, OAuth-style or Spring-style error bodies."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase or "error"
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return str(err.get("message") or response.reason_phrase)
        if isinstance(err, str):
            return f"{err}: {body.get('error_description', '')}".rstrip(": ")
        if "message" in body:
            return str(body["message"])
    return response.reason_phrase or "error"


class HttpClient:
    """One httpx client with the retry policy; callers name the endpoint for the counters."""

    def __init__(self, *, timeout: float, budget: RequestBudget | None = None, max_attempts: int = 5,
                 backoff_base: float = 0.25, backoff_cap: float = 8.0, retry_after_cap: float = 60.0,
                 sleep: Callable[[float], None] = time.sleep, seed: int | None = None) -> None:
        self.client = httpx.Client(timeout=timeout, headers={"User-Agent": "nowplaying/0.1"})
        self.budget = budget or RequestBudget(None)
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.retry_after_cap = retry_after_cap
        self.sleep = sleep
        self.random = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()

    def close(self) -> None:
        self.client.close()

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^attempt)]."""
        return self.random.uniform(0, min(self.backoff_cap, self.backoff_base * (2 ** attempt)))

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        raw = response.headers.get("Retry-After", "")
        try:
            return min(self.retry_after_cap, max(0.0, float(raw)))
        except ValueError:
            return self.backoff(attempt)

    def request(self, method: str, url: str, *, endpoint: str, params: Mapping[str, Any] | None = None,
                data: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None,
                auth: tuple[str, str] | None = None, parse_json: bool = True,
                on_status: Callable[[httpx.Response], bool] | None = None) -> tuple[httpx.Response, Any]:
        """Send with retries; returns (response, parsed JSON or None).

        Non-2xx answers that are not retryable are returned as they are (the caller decides); `on_status`
        may return True to ask for one immediate retry (used for refresh-on-401).
        """
        attempt = 0
        while True:
            self.budget.take()
            self.counts[endpoint] += 1
            try:
                response = self.client.request(method, url, params=params, data=data, headers=headers, auth=auth)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                reason = type(exc).__name__
                if attempt + 1 >= self.max_attempts:
                    raise ApiError(endpoint, None, f"{reason} after {attempt + 1} attempts") from None
                self._wait(endpoint, reason, self.backoff(attempt))
                attempt += 1
                continue
            status = response.status_code
            if status == 429 and attempt + 1 < self.max_attempts:
                self._wait(endpoint, "429", self._retry_after(response, attempt))
                attempt += 1
                continue
            if status in RETRYABLE_STATUS and attempt + 1 < self.max_attempts:
                self._wait(endpoint, str(status), self.backoff(attempt))
                attempt += 1
                continue
            if on_status is not None and on_status(response) and attempt + 1 < self.max_attempts:
                attempt += 1
                continue
            body = None
            if parse_json and 200 <= status < 300:
                try:
                    body = response.json()
                except ValueError:
                    if attempt + 1 >= self.max_attempts:
                        raise ApiError(endpoint, status, "malformed JSON") from None
                    self._wait(endpoint, "malformed", self.backoff(attempt))
                    attempt += 1
                    continue
            return response, body

    def _wait(self, endpoint: str, reason: str, seconds: float) -> None:
        self.retries[reason] += 1
        log.debug("retrying %s after %s in %.2fs", endpoint, reason, seconds)
        self.sleep(seconds)
