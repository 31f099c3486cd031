"""Where the Neo4j server is and how to talk to it.

Settings come from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE; arguments (the CLI's
flags) override them. Any Neo4j 5 reachable by Bolt works: ``bolt://host:7687`` for one server,
``neo4j://host:7687`` (or ``neo4j+s://`` for Aura) to route over a cluster.

The password goes to the driver and nowhere else: the settings' repr hides it and every message
names only the URI, the user and the database.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

ENV = {"uri": "NEO4J_URI", "user": "NEO4J_USER", "password": "NEO4J_PASSWORD", "database": "NEO4J_DATABASE"}
DEFAULT_USER = "neo4j"


class Neo4jConfigError(RuntimeError):
    """No server configured, or the server cannot be reached; the message is bilingual."""


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
    """
    env = os.environ if env is None else env
    given = {"uri": uri, "user": user, "password": password, "database": database}
    value = {k: given[k] if given[k] else env.get(name) or None for k, name in ENV.items()}
    if not value["uri"]:
        raise Neo4jConfigError("未配置 Neo4j：请设置 NEO4J_URI、NEO4J_USER、NEO4J_PASSWORD（或使用 --neo4j-uri 等参数）。"
                               " / Neo4j is not configured: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD"
                               " (or pass --neo4j-uri etc.).")
    return Neo4jSettings(value["uri"], value["user"] or DEFAULT_USER, value["password"] or "", value["database"])


def open_driver(settings: Neo4jSettings, **config: Any) -> Driver:
    """A driver that has answered one query; bilingual errors that never contain the password."""
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password), **config)
    except (ConfigurationError, ValueError) as e:
        raise Neo4jConfigError(f"Neo4j 地址无效 / invalid Neo4j URI: {settings.uri} ({type(e).__name__})") from None
    try:
        driver.verify_connectivity()  # fails fast: no retries on an unreachable server
        driver.execute_query("RETURN 1", database_=settings.database, routing_=RoutingControl.READ)
    except AuthError:
        driver.close()
        raise Neo4jConfigError(f"Neo4j 用户名或密码错误 / Neo4j rejected the user or password: "
                               f"{settings.describe()}") from None
    except (ServiceUnavailable, OSError) as e:
        driver.close()
        raise Neo4jConfigError(f"无法连接 Neo4j / cannot reach Neo4j: {settings.describe()} "
                               f"({type(e).__name__})") from None
    except Neo4jError as e:
        driver.close()
        raise Neo4jConfigError(f"Neo4j 拒绝了连接 / Neo4j refused: {settings.describe()} ({e.code})") from None
    return driver
