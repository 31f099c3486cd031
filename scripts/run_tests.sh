#!/usr/bin/env bash
# Run the whole test suite. Starts a throw-away Neo4j server (scripts/neo4j_server.sh) when Java
# and Maven are here, and stops it afterwards; under CI=true a missing server is an error.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

started=""
if [ -z "${NEO4J_URI:-}" ]; then
  if command -v java >/dev/null && command -v mvn >/dev/null; then
    if exports=$(bash scripts/neo4j_server.sh start); then
      eval "$exports"
      started=1
    elif [ "${CI:-}" = "true" ]; then
      echo "Neo4j test server failed to start" >&2
      exit 1
    fi
  else
    echo "java/mvn not found: Neo4j tests will be skipped (set NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD to use a server)" >&2
  fi
fi
cleanup() { [ -n "$started" ] && bash scripts/neo4j_server.sh stop || true; }
trap cleanup EXIT

"$BIN/python" -m pytest "$@"
