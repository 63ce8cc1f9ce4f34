"""What one extract run did, as one line for the log and a dict for the run stats."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExtractSummary:
    source: str
    read: int = 0  # posts the API returned (what X bills)
    kept: int = 0  # records written
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> posts
    pages: int = 0
    requests: int = 0
    seconds: float = 0.0
    retries: int = 0
    malformed_pages: int = 0
    rate_limit_waits: int = 0
    stopped: list[str] = field(default_factory=list)  # why a run (or an instance) ended early
    errors: list[str] = field(default_factory=list)  # instances that failed outright
    checkpoints: dict[str, str] = field(default_factory=dict)  # instance -> since_id after the run

    def line(self) -> str:
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{k}={v}" for k, v in sorted(self.skipped.items()))
        parts = [f"{self.source}: read {self.read}", f"kept {self.kept}",
                 f"skipped {skipped}" + (f" ({reasons})" if reasons else ""),
                 f"pages {self.pages}", f"requests {self.requests}", f"{self.seconds:.2f} s"]
        if self.retries:
            parts.append(f"retries {self.retries}")
        if self.malformed_pages:
            parts.append(f"malformed pages {self.malformed_pages}")
        if self.rate_limit_waits:
            parts.append(f"rate-limit waits {self.rate_limit_waits}")
        line = ", ".join(parts)
        if self.stopped:
            line += "; stopped early: " + "; ".join(self.stopped)
        if self.errors:
            line += "; failed: " + "; ".join(self.errors)
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "read": self.read, "kept": self.kept, "skipped": dict(self.skipped),
            "pages": self.pages, "requests": self.requests, "seconds": round(self.seconds, 3),
            "retries": self.retries, "malformed_pages": self.malformed_pages,
            "rate_limit_waits": self.rate_limit_waits, "stopped": list(self.stopped),
            "errors": list(self.errors), "checkpoints": dict(self.checkpoints),
        }
