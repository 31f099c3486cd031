"""Neo4j as the shared store: connect, push (idempotent bulk sync) and pull (round trip).

    from graph.neo4j_store import Neo4jStore, push, pull
    with Neo4jStore.connect() as store:          # NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD
        push(ChainGraph(load()[0]), store)
        cg = pull(store)

Modules: `connection` (driver), `store` (read / write transactions), `cypher` (query text from
`graph.schema`), `rows` (table cells <-> properties), `push` (MERGE, or CREATE into an empty
database), `prune`, `pull`, `counts`, `import_files` (files for ``neo4j-admin database import``). The
settings, the batch size and `Neo4jConfigError` live in the driver-free `graph.neo4j_config`
(re-exported here), so the CLI can use them without importing the driver.
"""
from graph.neo4j_config import PUSH_BATCH_SIZE, Neo4jConfigError, Neo4jSettings, neo4j_settings
from graph.neo4j_store.pull import pull, read_table
from graph.neo4j_store.push import push
from graph.neo4j_store.store import Neo4jStore

__all__ = ["PUSH_BATCH_SIZE", "Neo4jConfigError", "Neo4jSettings", "Neo4jStore", "neo4j_settings", "pull", "push",
           "read_table"]
