"""spark-submit entry point: `spark-submit jobs/nowplaying/spark/transform_job.py --run-id R`.

Same as `nowplaying transform --run-id R` (the master and conf come from spark-submit). When the
package is not installed where the driver runs, the folder holding it is put on sys.path.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    try:
        import nowplaying  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from nowplaying.cli import main as cli_main

    cli_main(["transform", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
