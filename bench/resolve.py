"""Resolution quality on labelled sets: our resolver beside the seed's method, same emulator, same run.

    .venv/bin/python bench/resolve.py [--set dev|extra|robust|demo|DIR ...] [--strict] [--independent] [--show-errors]

A labelled set is a directory with posts.jsonl, labels.json (post id -> {"accept": [...], "ambiguous":
bool}) and a Spotify catalog (catalog.json or spotify/catalog.json; a set without one uses dev's).
The demo set (jobs/nowplaying/emulator/fixtures/demo) is read through the ingest normalisers when present.

Figures per set and method:
- precision: correct claims / all claims, over non-ambiguous posts
- recall: correct claims / non-ambiguous posts with a non-empty accept list
- left alone: non-ambiguous posts with an empty accept list that got no track
- ambiguous reported: ambiguous posts answered with no track (not scored in precision/recall)
- searches/post: GET /v1/search requests per post
Targets (on data not tuned on): precision >= 0.98, recall >= 0.95, every no-music post left alone,
<= 1.0 search per post. No Cassandra needed: the cache is in memory (fresh for each method and set).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "dev": ROOT / "tests" / "fixtures" / "resolution" / "dev",
    "extra": ROOT / "tests" / "fixtures" / "resolution" / "extra",
    "robust": ROOT / "tests" / "fixtures" / "resolution" / "robust",
    "demo": ROOT / "jobs" / "nowplaying" / "emulator" / "fixtures" / "demo",
}

# The seed's stopword list: the words it dropped before searching the rest.
SEED_STOPWORDS = {
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "is", "are", "was",
    "be", "it", "its", "this", "that", "i", "im", "me", "my", "we", "you", "your", "now", "playing", "np",
    "listening", "nowplaying", "rt", "via", "just", "so", "up", "de", "la", "el", "le",
}


@dataclass
class Outcome:
    track_id: str | None


@dataclass
class Score:
    posts: int = 0
    claims: int = 0
    correct: int = 0
    music: int = 0
    nomusic: int = 0
    left_alone: int = 0
    ambiguous: int = 0
    ambiguous_reported: int = 0
    searches: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.claims if self.claims else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.music if self.music else 1.0

    @property
    def searches_per_post(self) -> float:
        return self.searches / self.posts if self.posts else 0.0

    def meets_targets(self) -> bool:
        return (self.precision >= 0.98 and self.recall >= 0.95 and self.left_alone == self.nomusic
                and self.searches_per_post <= 1.0)


def score(posts: list[Mapping[str, Any]], outcomes: list[Outcome], labels: Mapping[str, Any]) -> Score:
    result = Score(posts=len(posts))
    for post, outcome in zip(posts, outcomes, strict=True):
        label = labels.get(str(post.get("id")))
        if label is None:
            continue
        accept = set(label.get("accept") or [])
        if label.get("ambiguous"):
            result.ambiguous += 1
            result.ambiguous_reported += outcome.track_id is None
            continue
        if accept:
            result.music += 1
        else:
            result.nomusic += 1
            result.left_alone += outcome.track_id is None
        if outcome.track_id is not None:
            result.claims += 1
            if outcome.track_id in accept:
                result.correct += 1
            else:
                result.errors.append(f"{post.get('id')}: claimed {outcome.track_id} (accept {sorted(accept)}) "
                                     f"text={str(post.get('text'))[:80]!r}")
        elif accept:
            result.errors.append(f"{post.get('id')}: missed (accept {sorted(accept)}) "
                                 f"text={str(post.get('text'))[:80]!r}")
    return result


# --- the seed's method (the baseline), implemented faithfully ----------------------------------------


def seed_query(text: str) -> str:
    """Drop links, hashtags, mentions and stopwords; the leftover words are the query."""
    text = re.sub(r"https?://\S+|www\.\S+", " ", text)
    text = re.sub(r"[#@]\w+", " ", text)
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in SEED_STOPWORDS]
    return " ".join(words)


def run_seed(client: Any, posts: list[Mapping[str, Any]]) -> list[Outcome]:
    from nowplaying.http import ApiError

    out = []
    for post in posts:
        q = seed_query(str(post.get("text") or ""))
        track_id = None
        if q:
            try:
                items = client.search_tracks(q, limit=1)
            except ApiError:
                items = []
            if items:
                track_id = items[0]["id"]  # the first hit, whatever it is
        out.append(Outcome(track_id))
    return out


def run_ours(client: Any, posts: list[Mapping[str, Any]]) -> list[Outcome]:
    from nowplaying.resolve import Resolver

    resolver = Resolver(client)
    return [Outcome(r.track_id) for r in resolver.resolve_posts(posts)]


# --- sets ---------------------------------------------------------------------------------------------


@dataclass
class LabelledSet:
    name: str
    posts: list[dict[str, Any]]
    labels: dict[str, Any]
    catalog: Path


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _demo_posts(directory: Path) -> list[dict[str, Any]]:
    """The demo fixtures hold API-shaped X and Mastodon data: normalise them with ingest's own code."""
    if (directory / "posts.jsonl").exists():
        return _read_jsonl(directory / "posts.jsonl")
    from nowplaying.sources.mastodon import status_record
    from nowplaying.sources.records import Skip
    from nowplaying.sources.x import tweet_record

    posts: list[dict[str, Any]] = []
    users_file = directory / "x" / "users.jsonl"
    users = {str(u["id"]): u.get("username") for u in _read_jsonl(users_file)} if users_file.exists() else {}
    for name, convert in (("x/tweets.jsonl", lambda row: tweet_record(row, users)),
                          ("mastodon/statuses.jsonl", status_record)):
        path = directory / name
        if not path.exists():
            continue
        for row in _read_jsonl(path):
            try:
                posts.append(convert(row))
            except Skip:
                continue
    return posts


def load_set(name: str) -> LabelledSet | None:
    directory = SETS.get(name, Path(name))
    if not (directory / "labels.json").exists():
        return None
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    posts = _demo_posts(directory) if name == "demo" else _read_jsonl(directory / "posts.jsonl")
    catalog = next((p for p in (directory / "catalog.json", directory / "spotify" / "catalog.json") if p.exists()),
                   SETS["dev"] / "catalog.json")
    return LabelledSet(name, posts, labels, catalog)


# A stricter engine than Spotify's (exact words, all required) with development-mode limits (search limit
# <= 10, no multi-get): a stand-in for "another implementation of the API" that must not break us.
STRICT = {"search_strict": True, "search_max_limit": 10, "no_multi_get": True}


def _run(labelled: LabelledSet, method: str, base_url: str) -> Score:
    from nowplaying.config import load_settings
    from nowplaying.spotify import SpotifyClient

    settings = load_settings(_env_file=None, spotify_api_base_url=base_url, spotify_accounts_base_url=base_url,
                             spotify_client_id="bench", spotify_client_secret="bench-secret")
    client = SpotifyClient(settings)
    started = time.perf_counter()
    outcomes = run_ours(client, labelled.posts) if method == "ours" else run_seed(client, labelled.posts)
    elapsed = time.perf_counter() - started
    result = score(labelled.posts, outcomes, labelled.labels)
    result.searches = client.counts.get("search", 0)
    result.seconds = elapsed
    client.close()
    return result


def evaluate_independent(labelled: LabelledSet, method: str) -> Score:
    """Run one method against the tests' independent Spotify (tests/contract/independent_apis.py): another
    implementation of the API, with AND semantics for words and filters and a plain popularity ranking."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.contract.independent_apis import IndependentApis, World

    world = World(catalog=json.loads(labelled.catalog.read_text(encoding="utf-8")))
    with IndependentApis(world) as apis:
        return _run(labelled, method, apis.base_url)


def evaluate(labelled: LabelledSet, method: str, extra: dict[str, Any] | None = None) -> Score:
    """Run one method on one set against a fresh emulator serving the set's catalog."""
    from nowplaying.emulator.app import Faults, start_in_thread

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "spotify").mkdir()
        shutil.copy(labelled.catalog, Path(tmp) / "spotify" / "catalog.json")
        emulator = start_in_thread(Path(tmp), faults=Faults(extra=dict(extra or {})))
        try:
            return _run(labelled, method, emulator.base_url)
        finally:
            emulator.stop()


def table(rows: Iterable[tuple[str, str, Score]]) -> str:
    head = (f"{'set':<13} {'method':<6} {'posts':>5} {'precision':>9} {'recall':>7} {'left alone':>11} "
            f"{'ambiguous':>10} {'searches/post':>13} {'targets':>8}")
    lines = [head, "-" * len(head)]
    for set_name, method, s in rows:
        lines.append(
            f"{set_name:<13} {method:<6} {s.posts:>5} {s.precision:>9.3f} {s.recall:>7.3f} "
            f"{f'{s.left_alone}/{s.nomusic}':>11} {f'{s.ambiguous_reported}/{s.ambiguous}':>10} "
            f"{s.searches_per_post:>13.2f} {'met' if s.meets_targets() else 'missed':>8}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="sets",
                        help="dev, extra, robust, demo or a directory (repeatable)")
    parser.add_argument("--show-errors", action="store_true", help="list every wrong claim and miss")
    parser.add_argument("--strict", action="store_true",
                        help="also run against a stricter search engine with development-mode limits")
    parser.add_argument("--independent", action="store_true",
                        help="also run against the tests' independent Spotify implementation (AND semantics)")
    parser.add_argument("--ours-only", action="store_true", help="skip the seed's method (quicker)")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    rows = []
    for name in args.sets or ["dev", "extra", "robust", "demo"]:
        labelled = load_set(name)
        if labelled is None:
            print(f"(set {name!r} not found, skipped)", file=sys.stderr)
            continue
        modes: list[tuple[str, dict[str, Any] | None]] = [("", None)]
        modes += [("/strict", STRICT)] if args.strict else []
        modes += [("/indep", None)] if args.independent else []
        for suffix, extra in modes:
            for method in ("ours",) if args.ours_only else ("ours", "seed"):
                if suffix == "/indep":
                    result = evaluate_independent(labelled, method)
                else:
                    result = evaluate(labelled, method, extra)
                rows.append((labelled.name + suffix, method, result))
                if args.show_errors and result.errors:
                    print(f"[{labelled.name}{suffix}/{method}]", *result.errors, sep="\n  ", file=sys.stderr)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
