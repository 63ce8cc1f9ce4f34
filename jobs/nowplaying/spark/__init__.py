"""The transform as a Spark job: raw JSONL -> normalised, de-duplicated posts -> resolved and enriched
in partitions (the same resolver/enricher `nowplaying resolve` uses) -> the run's CSV history file."""
