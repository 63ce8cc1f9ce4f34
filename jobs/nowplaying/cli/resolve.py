"""`nowplaying resolve --input POSTS.jsonl --output RESOLVED.jsonl`: one output line per input line.

Every input line gets exactly one output line, in input order, even when it is not a post (broken JSON,
no id): that line says method "none" and is counted as skipped, so outputs stay aligned with inputs.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from nowplaying.cli.common import boot
from nowplaying.errors import NowPlayingError
from nowplaying.fileio import atomic_write
from nowplaying.logs import progress
from nowplaying.resolve import Resolution, open_resolver
from nowplaying.spotify import require_credentials

log = logging.getLogger("nowplaying.resolve")
_ID_RE = re.compile(r'"id"\s*:\s*"([^"\\]{1,100})"')


def read_lines(path: Path, skipped: Counter[str]) -> Iterator[dict[str, Any]]:
    """Each line as a post dict; a bad line becomes a post without text (and is counted)."""
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                post = json.loads(line)
            except ValueError:
                skipped["malformed_json"] += 1
                match = _ID_RE.search(line)
                yield {"id": match.group(1) if match else None, "text": None, "_bad": True}
                continue
            if not isinstance(post, dict) or not isinstance(post.get("id"), str | int) or isinstance(
                    post.get("id"), bool):
                skipped["no_id"] += 1
                yield {"id": None, "text": None, "_bad": True}
                continue
            if not isinstance(post.get("text"), str):
                skipped["no_text"] += 1
            yield post


def _record(post: dict[str, Any], result: Resolution) -> dict[str, Any]:
    record = result.to_record()
    record["id"] = None if post.get("_bad") and post.get("id") is None else str(post.get("id"))
    return record


@click.command("resolve")
@click.option("--input", "input_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="post records, one JSON object a line (id, text, optional urls)")
@click.option("--output", "output_path", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="resolved records: id, track_id, title, artists, confidence, method")
@click.option("--cache", type=click.Choice(["memory", "cassandra"]), default="memory", show_default=True,
              help="where resolutions are cached between runs (cassandra: table resolution_cache, with TTLs)")
def command(input_path: Path, output_path: Path, cache: str) -> None:
    """Resolve each post to a Spotify track (or none), one output line per input line."""
    settings = boot()
    require_credentials(settings)
    if not input_path.is_file():
        raise NowPlayingError(f"input file not found: {input_path}")
    total = sum(1 for line in input_path.open("r", encoding="utf-8", errors="replace") if line.strip())
    skipped: Counter[str] = Counter()
    started = time.perf_counter()
    with ExitStack() as stack:
        session = None
        if cache == "cassandra":
            from nowplaying.store.session import close, connect

            session = connect(settings)
            stack.callback(close, session)
        resolver = stack.enter_context(open_resolver(settings, session=session))
        posts = list(read_lines(input_path, skipped))
        with atomic_write(output_path) as out:
            results = resolver.resolve_posts(posts)
            for post, result in zip(posts, progress(results, total=total, desc="resolve"), strict=True):
                out.write(json.dumps(_record(post, result), ensure_ascii=False) + "\n")
        stats = resolver.stats
    seconds = time.perf_counter() - started
    by = stats["by_method"]
    skipped_text = ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())) or "0"
    click.echo(
        f"resolve: {stats['resolved']}/{stats['posts']} posts resolved (link {by['link']}, search {by['search']}, "
        f"cache {by['cache']}, none {by['none']}); {stats['searches']} searches "
        f"({stats['searches_per_post']:.2f}/post); cache hits {stats['cache_hits']} "
        f"(+{stats['seen_hits']} songs seen earlier in the run); skipped {skipped_text}; "
        f"errors {stats['errors']}; {seconds:.1f}s -> {output_path}")


COMMANDS = [command]
