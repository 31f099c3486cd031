"""Where the Neo4j server is, how much a push writes per transaction, and the error when the
server is missing or wrong: everything about Neo4j that needs no driver.

The CLI imports this module to build its flags and to catch `Neo4jConfigError`; the driver itself
is imported only by `graph.neo4j_store`, when a command connects. This module must never import
`neo4j` (tests/test_imports.py checks it in a fresh interpreter).

Settings come from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE; arguments (the CLI's
flags) override them. The password goes to the driver and nowhere else: the settings' repr hides
it and `describe()` names only the URI, the user and the database.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from queries.errors import ServerError

ENV = {"uri": "NEO4J_URI", "user": "NEO4J_USER", "password": "NEO4J_PASSWORD", "database": "NEO4J_DATABASE"}
DEFAULT_USER = "neo4j"
PUSH_BATCH_SIZE = 10_000  # rows per transaction of a MERGE push (and per delete of a prune)
CREATE_BATCH_SIZE = 5_000  # about as many rows per transaction of a push into an empty database (CREATE)
PUSH_WORKERS = 3  # transactions a push into an empty database writes at the same time (on a 2-core
# server 3 measured a little faster than 2: one is on the wire or committing while two execute)


class Neo4jConfigError(ServerError):
    """No server configured, or the server cannot be reached (exit 3)."""

    code = "neo4j-unavailable"


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str = DEFAULT_USER
    password: str = field(default="", repr=False)
    database: str | None = None

    def describe(self) -> str:
        """Where we connect, for messages (never the password)."""
        return f"{self.uri}（用户 user {self.user}，数据库 database {self.database or '默认 default'}）"


def neo4j_settings(uri: str | None = None, user: str | None = None, password: str | None = None,
                   database: str | None = None, env: Mapping[str, str] | None = None) -> Neo4jSettings:
    """Settings from the environment, each overridden by the argument when given.

    >>> neo4j_settings("bolt://db:7687", password="secret", env={"NEO4J_USER": "planner"})
    Neo4jSettings(uri='bolt://db:7687', user='planner', database=None)
    >>> neo4j_settings(env={})
    Traceback (most recent call last):
    graph.neo4j_config.Neo4jConfigError: 未配置 Neo4j：请设置 NEO4J_URI、NEO4J_USER、NEO4J_PASSWORD（或使用 --neo4j-uri 等参数） / Neo4j is not configured: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD (or pass --neo4j-uri etc.)
    """
    env = os.environ if env is None else env
    given = {"uri": uri, "user": user, "password": password, "database": database}
    value = {k: given[k] if given[k] else env.get(name) or None for k, name in ENV.items()}
    if not value["uri"]:
        raise Neo4jConfigError("未配置 Neo4j：请设置 NEO4J_URI、NEO4J_USER、NEO4J_PASSWORD（或使用 --neo4j-uri 等参数）",
                               "Neo4j is not configured: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD"
                               " (or pass --neo4j-uri etc.)", code="neo4j-not-configured")
    return Neo4jSettings(value["uri"], value["user"] or DEFAULT_USER, value["password"] or "", value["database"])
