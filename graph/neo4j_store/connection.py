"""Open a driver to the Neo4j server the settings name (`graph.neo4j_config`), with bilingual errors.

Any Neo4j 5 reachable by Bolt works: ``bolt://host:7687`` for one server, ``neo4j://host:7687``
(or ``neo4j+s://`` for Aura) to route over a cluster. Messages name only the URI, the user and the
database, never the password.
"""
from __future__ import annotations

import logging
from typing import Any

from neo4j import Driver, GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

from graph.neo4j_config import Neo4jConfigError, Neo4jSettings


# The server's query notifications ("relationship type ROUTE_OF does not exist" when the data has
# no routes) are advice for query authors, in English; a planner should not see them.
logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)


def open_driver(settings: Neo4jSettings, **config: Any) -> Driver:
    """A driver that has answered one query; bilingual errors that never contain the password."""
    try:
        driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password), **config)
    except (ConfigurationError, ValueError) as e:
        raise Neo4jConfigError(f"Neo4j 地址无效：{settings.uri}", f"invalid Neo4j URI: {settings.uri} ({type(e).__name__})",
                               code="neo4j-bad-uri") from None
    try:
        driver.verify_connectivity()  # fails fast: no retries on an unreachable server
        driver.execute_query("RETURN 1", database_=settings.database, routing_=RoutingControl.READ)
    except AuthError:
        driver.close()
        raise Neo4jConfigError(f"Neo4j 用户名或密码错误：{settings.describe()}",
                               f"Neo4j rejected the user or password: {settings.describe()}", code="neo4j-auth") from None
    except (ServiceUnavailable, OSError) as e:
        driver.close()
        raise Neo4jConfigError(f"无法连接 Neo4j：{settings.describe()}",
                               f"cannot reach Neo4j: {settings.describe()} ({type(e).__name__})",
                               code="neo4j-unreachable") from None
    except Neo4jError as e:
        driver.close()
        raise Neo4jConfigError(f"Neo4j 拒绝了连接：{settings.describe()}（{e.code}）",
                               f"Neo4j refused: {settings.describe()} ({e.code})", code="neo4j-refused") from None
    return driver
