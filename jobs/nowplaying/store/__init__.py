"""Cassandra access: the session, schema migrations and the queries the pipeline and the app make."""
