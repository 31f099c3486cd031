"""`Neo4jStore`: a driver and a database name, with the two ways this project talks to Neo4j.

- `read(query, **params)`: one read query, routed to any cluster member, retried on transient
  errors; returns plain dicts.
- `write(query, **params)`: one explicit write transaction (``execute_write``: retried on transient
  errors such as deadlocks or a leader switch); returns the update counters.

Both share the driver's bookmark manager, so a read after a write sees it, on a cluster too.
Values always travel as parameters; query text is built only from `graph.schema` names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from neo4j import Driver, ManagedTransaction, RoutingControl

from graph.neo4j_config import Neo4jSettings, neo4j_settings
from graph.neo4j_store.connection import open_driver


@dataclass
class Neo4jStore:
    driver: Driver
    database: str | None = None

    @classmethod
    def connect(cls, settings: Neo4jSettings | None = None, **overrides: str | None) -> Neo4jStore:
        """Connect with `settings`, or with the environment overridden by uri/user/password/database."""
        settings = settings or neo4j_settings(**overrides)
        return cls(open_driver(settings), settings.database)

    @cached_property
    def version(self) -> tuple[int, int]:
        """(major, minor) of the server, e.g. (5, 26); (0, 0) if it does not say."""
        match = re.search(r"(\d+)\.(\d+)", self.driver.get_server_info().agent or "")
        return (int(match[1]), int(match[2])) if match else (0, 0)

    def call(self, body: str, imports: str = "") -> str:
        """A CALL subquery importing the variables `imports` ("f, p") in the syntax the server
        prefers: ``CALL (f) { ... }`` from 5.23 (where ``CALL { WITH f ... }`` is deprecated)."""
        if self.version >= (5, 23) or self.version == (0, 0):
            return f"CALL ({imports}) {{ {body} }}"
        return f"CALL {{ {'WITH ' + imports + ' ' if imports else ''}{body} }}"

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(query, params, routing_=RoutingControl.READ,
                                                  database_=self.database)
        return [r.data() for r in records]

    def write(self, query: str, **params: Any) -> dict[str, int]:
        def work(tx: ManagedTransaction) -> dict[str, int]:
            counters = tx.run(query, params).consume().counters
            return {k: v for k, v in vars(counters).items() if isinstance(v, int) and not k.startswith("_")}

        with self.driver.session(database=self.database,
                                 bookmark_manager=self.driver.execute_query_bookmark_manager) as session:
            return session.execute_write(work)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
