"""Structured logging: JSON lines when stderr is not a terminal, readable text when it is.

Secrets from the settings are masked in every record, whatever logged them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

_STD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
T = TypeVar("T")


class SecretMask(logging.Filter):
    """Replace any known secret value in the rendered message and extra fields."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def _mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = self._mask(record.getMessage())
            record.args = None
            for key, value in list(vars(record).items()):
                if key not in _STD_ATTRS and isinstance(value, str):
                    setattr(record, key, self._mask(value))
        return True


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STD_ATTRS and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        doc.update(_extras(record))
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in _extras(record).items())
        line = f"{record.levelname[0]} {record.name}: {record.getMessage()}"
        return f"{line}  {extras}" if extras else line


def setup_logging(level: str = "INFO", fmt: str = "auto", secrets: Iterable[str] = ()) -> None:
    """Configure the root logger once per process (CLI entry, Gunicorn worker, Spark worker)."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter())
    handler.addFilter(SecretMask(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # The driver and HTTP libraries are chatty at INFO.
    for noisy in ("httpx", "httpcore", "py4j", "werkzeug"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # The Cassandra driver logs connection failures with tracebacks; our callers report them in one line.
    if root.level > logging.DEBUG:
        logging.getLogger("cassandra").setLevel(logging.CRITICAL)


def progress(items: Iterable[T], *, total: int | None = None, desc: str = "") -> Iterator[T]:
    """A progress bar on a terminal, a plain iterator elsewhere (logs stay clean)."""
    if not sys.stderr.isatty():
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, total=total, desc=desc, unit="post", leave=False)


@contextmanager
def progress_bar(total: int | None, desc: str) -> Iterator[Any]:
    """A manually advanced bar (`bar.update(n)`); a no-op object when not on a terminal."""
    if not sys.stderr.isatty():
        class _Null:
            def update(self, n: int = 1) -> None:
                pass

        yield _Null()
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=desc, leave=False) as bar:
        yield bar
