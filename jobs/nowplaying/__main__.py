"""`python -m nowplaying` is the `nowplaying` console script (spark-submit and make up use it)."""

from nowplaying.cli import main

main()
