"""Development-only helpers: a local Cassandra node and the `make up` orchestration.

Nothing in the pipeline or the web app imports this package; pods never run it.
"""
