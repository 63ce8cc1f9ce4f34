"""`nowplaying transform|load|run`: the pipeline's stages, each the command one pod runs."""

from __future__ import annotations

import click

from nowplaying.cli.common import boot

RUN_ID = click.option("--run-id", "run_id", required=True, help="The run id (Airflow's) naming every file and row.")


@click.command()
@RUN_ID
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 5000),
              help="Posts resolved per call within a partition.")
@click.option("--partitions", type=click.IntRange(1, 10_000), default=None,
              help="Partitions to resolve in (default: Spark's default parallelism).")
def transform(run_id: str, batch_size: int, partitions: int | None) -> None:
    """Spark: the run's raw JSONL -> normalised, de-duplicated, resolved and enriched CSV history."""
    from nowplaying.pipeline import transform_stage
    from nowplaying.spark.session import get_spark

    settings = boot()
    spark = get_spark()
    try:
        result, _ = transform_stage(settings, run_id, spark=spark, batch_size=batch_size, partitions=partitions)
    finally:
        spark.stop()
    click.echo(result.line())


@click.command()
@RUN_ID
def load(run_id: str) -> None:
    """The run's CSV -> Cassandra (plays, tracks, per-run aggregates, run stats); safe to rerun."""
    from nowplaying.pipeline import load_stage
    from nowplaying.store.session import close, connect

    settings = boot()
    session = connect(settings)
    try:
        result, _ = load_stage(settings, run_id, session)
    finally:
        close(session)
    click.echo(result.line())


@click.command()
@click.option("--run-id", "run_id", default=None, help="Default: a new manual__<UTC time> id.")
def run(run_id: str | None) -> None:
    """extract (X when X_BEARER_TOKEN is set, Mastodon) -> transform -> load, once, here."""
    from nowplaying import paths
    from nowplaying.pipeline import run_pipeline, summary_table
    from nowplaying.spark.session import stop_spark

    settings = boot()
    run_id = run_id or paths.new_run_id()
    try:
        # Spark starts only when transform needs it (a failing extract does not pay its start-up).
        stats = run_pipeline(settings, run_id, say=lambda message: click.echo(message, err=True))
    finally:
        stop_spark()
    click.echo(f"run {run_id}: ok")
    click.echo(summary_table(stats))


COMMANDS = [transform, load, run]
