#!/usr/bin/env bash
# Run a throwaway Neo4j 5 Community server for the tests, without Docker.
#
#   eval "$(scripts/neo4j_server.sh start)"   # prints: export NEO4J_URI=... NEO4J_USER=... NEO4J_PASSWORD=...
#   scripts/neo4j_server.sh status
#   scripts/neo4j_server.sh stop
#   eval "$(NEO4J_BOLT_PORT=7697 scripts/neo4j_server.sh import --nodes=... --relationships=... neo4j)"
#   scripts/neo4j_server.sh import-only --nodes=... --relationships=... neo4j   # the importer alone
#
# `import ARGS...` is `start` on a database written first by Neo4j's offline importer:
# `neo4j-admin database import full ARGS` (org.neo4j.cli.AdminTool, whose import command is the
# org.neo4j:neo4j-import-tool jar, a dependency of the server) runs into the new, empty server
# folder before the server starts. Give it its own NEO4J_BOLT_PORT (and so its own state file) to
# leave a running test server alone. On stderr it prints "neo4j_server: imported in S s (cpu C s)",
# the importer's wall and CPU time (JVM start included); its report is logs/import.report and its
# output admin.log in the folder.
#
# `import-only ARGS...` runs the same importer into a fresh folder and starts no server: it prints
# the importer's output on stdout and its times on stderr, then deletes the folder (the
# benchmark's measure of the importer's fixed cost, on a tiny input).
#
# The server jars (org.neo4j:neo4j and its transitive dependencies) come from
# Maven Central via scripts/neo4j/pom.xml and are cached in
#   ${CHAINKG_CACHE:-$HOME/.cache/chainkg}/neo4j-<version>/lib
# so later starts download nothing. Each start gets a fresh mktemp -d folder
# for config, data and logs; stop deletes it.
#
# Only the export line goes to stdout; progress and errors go to stderr.
#
# Environment (all optional):
#   NEO4J_VERSION         Neo4j version to fetch            (default 5.26.30)
#   NEO4J_BOLT_PORT       Bolt port on 127.0.0.1            (default 7687)
#   NEO4J_HTTP_PORT       if set, HTTP on 127.0.0.1:<port>; otherwise HTTP is off
#   NEO4J_PASSWORD        initial password of user neo4j    (default chainkg-test-pw)
#   NEO4J_HEAP            max heap (-Xmx)                   (default 1g)
#   NEO4J_PAGECACHE       page cache size                   (default 256m)
#   NEO4J_START_TIMEOUT   seconds to wait for Bolt          (default 120)
#   NEO4J_IMPORT_HEAP     max heap of the importer (-Xmx)   (default 1g)
#   NEO4J_JAVA            java binary (must be Java 17 or 21; default: first found)
#   NEO4J_STATE_FILE      state file (default ${TMPDIR:-/tmp}/chainkg-neo4j-<bolt port>.state)
#   CHAINKG_CACHE         cache root                        (default $HOME/.cache/chainkg)
#   MVN                   maven binary                      (default mvn)

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HELPER_DIR="$SCRIPT_DIR/neo4j"

NEO4J_VERSION="${NEO4J_VERSION:-5.26.30}"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-}"
PASSWORD="${NEO4J_PASSWORD:-chainkg-test-pw}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-256m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
CACHE_ROOT="${CHAINKG_CACHE:-${HOME:-/root}/.cache/chainkg}"
NEO4J_CACHE="$CACHE_ROOT/neo4j-$NEO4J_VERSION"
LIB_DIR="$NEO4J_CACHE/lib"
STATE_FILE="${NEO4J_STATE_FILE:-${TMPDIR:-/tmp}/chainkg-neo4j-$BOLT_PORT.state}"
MVN="${MVN:-mvn}"
MARKER=".chainkg-neo4j-server"

log() { printf 'neo4j_server: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- helpers --

java_major() {
    # "17.0.15" -> 17, "1.8.0_392" -> 8
    "$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }' |
        awk -F. '{ if ($1 == "1") print $2; else print $1 }'
}

pick_java() {
    if [ -n "${NEO4J_JAVA:-}" ]; then
        printf '%s\n' "$NEO4J_JAVA"
        return 0
    fi
    local c
    # Neo4j 5.26 supports Java 17 and 21 only (the machine may also carry a
    # newer JDK, e.g. Temurin 25, which it does not support).
    for c in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" \
        /usr/lib/jvm/java-17-openjdk*/bin/java /usr/lib/jvm/java-21-openjdk*/bin/java \
        /usr/lib/jvm/*/bin/java; do
        [ -n "$c" ] && [ -x "$c" ] || continue
        case "$(java_major "$c" 2>/dev/null)" in
            17 | 21) printf '%s\n' "$c"; return 0 ;;
        esac
    done
    return 1
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

is_our_server() {
    # $1 = pid, $2 = data dir; true if pid is alive and is our Neo4j server.
    local pid="$1" dir="$2" cmd
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmd" == *CommunityEntryPoint* && "$cmd" == *"$dir"* ]]
}

print_exports() {
    # $1 = port, $2 = password
    printf 'export NEO4J_URI=%q NEO4J_USER=neo4j NEO4J_PASSWORD=%q\n' "bolt://127.0.0.1:$1" "$2"
}

load_state() {
    S_PID="" S_DIR="" S_PORT="" S_PASSWORD="" S_VERSION="" S_HTTP_PORT=""
    [ -f "$STATE_FILE" ] || return 1
    # shellcheck disable=SC1090
    . "$STATE_FILE"
}

write_state() {
    local tmp="$STATE_FILE.tmp.$$"
    (
        umask 077
        {
            printf 'S_PID=%q\n' "$1"
            printf 'S_DIR=%q\n' "$2"
            printf 'S_PORT=%q\n' "$BOLT_PORT"
            printf 'S_HTTP_PORT=%q\n' "$HTTP_PORT"
            printf 'S_PASSWORD=%q\n' "$PASSWORD"
            printf 'S_VERSION=%q\n' "$NEO4J_VERSION"
        } >"$tmp"
    )
    mv -f "$tmp" "$STATE_FILE"
}

remove_dir() {
    # Delete a server folder, but only one this script created.
    local dir="$1"
    [ -n "$dir" ] && [ -d "$dir" ] || return 0
    if [ -f "$dir/$MARKER" ]; then
        rm -rf -- "$dir"
    else
        log "not deleting $dir: it has no $MARKER marker"
    fi
}

show_logs() {
    local dir="$1" f
    for f in "$dir/admin.log" "$dir/logs/console.log"; do
        [ -s "$f" ] || continue
        log "----- tail of $f -----"
        tail -n 40 "$f" >&2 || true
    done
    f="$dir/logs/debug.log"
    if [ -s "$f" ]; then
        if grep -q ' ERROR ' "$f"; then
            log "----- ERROR entries of $f -----"
            grep -A 12 ' ERROR ' "$f" | tail -n 60 >&2 || true
        else
            log "----- tail of $f -----"
            tail -n 15 "$f" >&2 || true
        fi
    fi
    log "-----"
}

kill_and_wait() {
    # $1 = pid; SIGTERM, wait up to 60 s, then SIGKILL.
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 600; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "server $pid did not stop within 60 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    return 1
}

# ------------------------------------------------------------------- jars --

ensure_jars() {
    if [ -f "$LIB_DIR/.complete" ]; then
        log "using cached Neo4j $NEO4J_VERSION jars in $LIB_DIR"
        return 0
    fi
    command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') not found; it is needed to fetch Neo4j $NEO4J_VERSION"
    mkdir -p "$NEO4J_CACHE"
    local tmp="$NEO4J_CACHE/lib.tmp.$$" mvnlog="$NEO4J_CACHE/mvn.log"
    rm -rf "$tmp"
    log "fetching Neo4j $NEO4J_VERSION jars from Maven Central into $LIB_DIR (once) ..."
    if ! "$MVN" -B -q -Dstyle.color=never -f "$HELPER_DIR/pom.xml" \
        -Dneo4j.version="$NEO4J_VERSION" \
        dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime >"$mvnlog" 2>&1; then
        log "----- tail of $mvnlog -----"
        tail -n 40 "$mvnlog" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true
        rm -rf "$tmp"
        die "could not fetch Neo4j $NEO4J_VERSION with Maven"
    fi
    ls "$tmp"/neo4j-"$NEO4J_VERSION".jar >/dev/null 2>&1 || {
        rm -rf "$tmp"
        die "Maven ran but $tmp/neo4j-$NEO4J_VERSION.jar is missing"
    }
    touch "$tmp/.complete"
    if ! mv -T "$tmp" "$LIB_DIR" 2>/dev/null; then
        # Another start won the race (or a broken lib dir is in the way).
        if [ -f "$LIB_DIR/.complete" ]; then
            rm -rf "$tmp"
        else
            rm -rf "$LIB_DIR" && mv -T "$tmp" "$LIB_DIR"
        fi
    fi
    log "cached $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $LIB_DIR"
}

bolt_check_cmd() {
    # Prints (one per line) the command that runs BoltCheck with $1 = java.
    # Compiled once into the cache when javac is at hand (saves ~3 s per
    # start); otherwise Java's single-file source launcher compiles it on the fly.
    local java="$1" src="$HELPER_DIR/BoltCheck.java" javac sum out tmp
    javac="$(dirname "$(readlink -f "$java")")/javac"
    if [ -x "$javac" ] && command -v sha256sum >/dev/null 2>&1; then
        sum="$(sha256sum "$src" | cut -c1-16)"
        out="$NEO4J_CACHE/boltcheck-$sum"
        if [ ! -f "$out/BoltCheck.class" ]; then
            tmp="$out.tmp.$$"
            rm -rf "$tmp" && mkdir -p "$tmp"
            if "$javac" -nowarn -cp "$LIB_DIR/*" -d "$tmp" "$src" >"$tmp.log" 2>&1; then
                mv -T "$tmp" "$out" 2>/dev/null || rm -rf "$tmp"
            else
                log "javac failed on BoltCheck.java (falling back to the source launcher):"
                cat "$tmp.log" >&2
                rm -rf "$tmp"
            fi
            rm -f "$tmp.log"
        fi
        if [ -f "$out/BoltCheck.class" ]; then
            printf '%s\n' "$java" -Xmx128m -cp "$out:$LIB_DIR/*" BoltCheck
            return 0
        fi
    fi
    printf '%s\n' "$java" -Xmx128m -cp "$LIB_DIR/*" "$src"
}

# ------------------------------------------------------------------ start --

write_conf() {
    local dir="$1"
    {
        echo "# Generated by scripts/neo4j_server.sh"
        echo "server.default_listen_address=127.0.0.1"
        echo "server.default_advertised_address=127.0.0.1"
        echo "server.bolt.enabled=true"
        echo "server.bolt.listen_address=127.0.0.1:$BOLT_PORT"
        echo "server.bolt.advertised_address=127.0.0.1:$BOLT_PORT"
        echo "server.bolt.tls_level=DISABLED"
        if [ -n "$HTTP_PORT" ]; then
            echo "server.http.enabled=true"
            echo "server.http.listen_address=127.0.0.1:$HTTP_PORT"
            echo "server.http.advertised_address=127.0.0.1:$HTTP_PORT"
        else
            echo "server.http.enabled=false"
        fi
        echo "server.https.enabled=false"
        echo "dbms.security.auth_enabled=true"
        echo "dbms.security.auth_minimum_password_length=1"
        echo "server.memory.pagecache.size=$PAGECACHE"
        echo "dbms.usage_report.enabled=false"
        echo "db.tx_log.rotation.retention_policy=1 files"
        case "$NEO4J_VERSION" in
            5.26.*)
                # Without these the Bolt server waits 2 x 5 s on shutdown. They
                # are internal settings (strict config validation rejects unknown
                # keys), so only set them for the version line they were checked on.
                echo "internal.server.bolt.connection_shutdown_wait_time=0s"
                echo "internal.server.bolt.thread_pool_shutdown_wait_time=0s"
                ;;
        esac
    } >"$dir/conf/neo4j.conf"
}

run_import() {
    # $1 = java, $2 = server folder, rest = arguments of `neo4j-admin database import full`.
    # Logs the importer's wall and CPU seconds (bash's `time`: real, user + sys of the JVM).
    local java="$1" dir="$2" times rc=0 TIMEFORMAT='%R %U %S'
    shift 2
    times="$( { time (cd "$dir" && NEO4J_HOME="$dir" NEO4J_CONF="$dir/conf" \
        "$java" -Xmx"${NEO4J_IMPORT_HEAP:-1g}" -cp "$LIB_DIR/*" org.neo4j.cli.AdminTool \
        database import full --report-file="$dir/logs/import.report" "$@" >"$dir/admin.log" 2>&1) ; } 2>&1 )" || rc=$?
    [ "$rc" -eq 0 ] || return 1
    log "imported in $(awk -v t="$times" 'BEGIN { split(t, a, " "); printf "%.2f s (cpu %.2f s)", a[1], a[2] + a[3] }')"
}

cmd_import_only() {
    local java dir rc=0
    java="$(pick_java)" || die "no Java 17 or 21 found (set NEO4J_JAVA); Neo4j $NEO4J_VERSION needs one"
    ensure_jars
    dir="$(mktemp -d "${TMPDIR:-/tmp}/chainkg-neo4j.XXXXXX")"
    touch "$dir/$MARKER"
    mkdir -p "$dir/conf" "$dir/data" "$dir/logs"
    write_conf "$dir"
    run_import "$java" "$dir" "$@" || rc=$?
    [ "$rc" -eq 0 ] || show_logs "$dir"
    cat "$dir/admin.log"
    remove_dir "$dir"
    [ "$rc" -eq 0 ] || die "neo4j-admin database import failed"
}

cmd_start() {
    # Arguments, if any, go to `neo4j-admin database import full` before the server starts.
    if load_state; then
        if is_our_server "$S_PID" "$S_DIR"; then
            [ "$#" -eq 0 ] || die "a server is running on port $S_PORT (pid $S_PID); import with another NEO4J_BOLT_PORT"
            log "already running (pid $S_PID, data in $S_DIR)"
            if [ "${NEO4J_PASSWORD:-$S_PASSWORD}" != "$S_PASSWORD" ]; then
                log "note: NEO4J_PASSWORD differs from the running server's; printing the server's"
            fi
            print_exports "$S_PORT" "$S_PASSWORD"
            return 0
        fi
        log "removing stale state $STATE_FILE (pid ${S_PID:-?} is gone)"
        remove_dir "$S_DIR"
        rm -f "$STATE_FILE"
    fi

    case "$BOLT_PORT" in '' | *[!0-9]*) die "NEO4J_BOLT_PORT must be a number, got '$BOLT_PORT'" ;; esac
    if port_in_use "$BOLT_PORT"; then
        die "127.0.0.1:$BOLT_PORT is already in use (another Neo4j?); set NEO4J_BOLT_PORT to a free port"
    fi
    if [ -n "$HTTP_PORT" ] && port_in_use "$HTTP_PORT"; then
        die "127.0.0.1:$HTTP_PORT (NEO4J_HTTP_PORT) is already in use"
    fi

    local java
    java="$(pick_java)" || die "no Java 17 or 21 found (set NEO4J_JAVA); Neo4j $NEO4J_VERSION needs one"

    local t0=$SECONDS
    ensure_jars

    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/chainkg-neo4j.XXXXXX")"
    touch "$dir/$MARKER"
    mkdir -p "$dir/conf" "$dir/data" "$dir/logs" "$dir/run" "$dir/plugins" "$dir/import"
    write_conf "$dir"

    # Initial password for user neo4j, written to data/dbms/auth.ini before the
    # first start (what `neo4j-admin dbms set-initial-password` does).
    if ! NEO4J_HOME="$dir" NEO4J_CONF="$dir/conf" \
        "$java" -Xmx256m -cp "$LIB_DIR/*" org.neo4j.cli.AdminTool \
        dbms set-initial-password "$PASSWORD" >"$dir/admin.log" 2>&1; then
        show_logs "$dir"
        remove_dir "$dir"
        die "could not set the initial password"
    fi
    if [ "$#" -gt 0 ]; then
        run_import "$java" "$dir" "$@" || { show_logs "$dir"; remove_dir "$dir"; die "neo4j-admin database import failed"; }
    fi

    log "starting Neo4j $NEO4J_VERSION with $java (bolt://127.0.0.1:$BOLT_PORT, data in $dir)"
    # stdin/stdout/stderr must not stay attached: callers use $(...) and would hang.
    nohup "$java" \
        -Xmx"$HEAP" \
        -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
        -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields \
        -XX:+DisableExplicitGC -XX:+ExitOnOutOfMemoryError \
        -Djdk.nio.maxCachedBufferSize=1024 \
        -Dio.netty.tryReflectionSetAccessible=true \
        --add-opens=java.base/java.nio=ALL-UNNAMED \
        --add-opens=java.base/java.io=ALL-UNNAMED \
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
        -Dlog4j2.disable.jmx=true \
        -Dfile.encoding=UTF-8 \
        -cp "$LIB_DIR/*" \
        org.neo4j.server.CommunityEntryPoint \
        --home-dir="$dir" --config-dir="$dir/conf" --console-mode \
        </dev/null >"$dir/logs/console.log" 2>&1 &
    local pid=$!
    write_state "$pid" "$dir"

    fail_start() {
        log "ERROR: $1"
        show_logs "$dir"
        kill_and_wait "$pid" || true
        remove_dir "$dir"
        rm -f "$STATE_FILE"
        exit 1
    }

    # Prepare the readiness probe while the server boots.
    local check
    mapfile -t check < <(bolt_check_cmd "$java")

    # 1) wait for the Bolt port to open, 2) run a real query over Bolt.
    local deadline=$((SECONDS + START_TIMEOUT))
    until port_in_use "$BOLT_PORT"; do
        kill -0 "$pid" 2>/dev/null || fail_start "Neo4j exited during startup"
        ((SECONDS < deadline)) || fail_start "Bolt port $BOLT_PORT did not open within ${START_TIMEOUT}s"
        sleep 0.5
    done
    local left=$((deadline - SECONDS))
    ((left > 5)) || left=5
    if ! "${check[@]}" "bolt://127.0.0.1:$BOLT_PORT" neo4j "$PASSWORD" "$left" "$pid" >/dev/null; then
        fail_start "Neo4j did not answer a Bolt query as neo4j"
    fi

    log "Neo4j $NEO4J_VERSION is up (pid $pid) after $((SECONDS - t0))s"
    print_exports "$BOLT_PORT" "$PASSWORD"
}

# ------------------------------------------------------------ stop/status --

cmd_stop() {
    if ! load_state; then
        log "not running (no state file $STATE_FILE)"
        return 0
    fi
    if is_our_server "$S_PID" "$S_DIR"; then
        log "stopping Neo4j (pid $S_PID) ..."
        if ! kill_and_wait "$S_PID"; then
            die "could not stop pid $S_PID"
        fi
    else
        log "server pid ${S_PID:-?} is not running"
    fi
    remove_dir "$S_DIR"
    rm -f "$STATE_FILE"
    log "stopped; removed ${S_DIR:-nothing}"
}

cmd_status() {
    if load_state && is_our_server "$S_PID" "$S_DIR"; then
        echo "running: pid $S_PID, Neo4j $S_VERSION, bolt://127.0.0.1:$S_PORT${S_HTTP_PORT:+, http://127.0.0.1:$S_HTTP_PORT}, data in $S_DIR"
        return 0
    fi
    if [ -f "$STATE_FILE" ]; then
        echo "not running (stale state file $STATE_FILE; 'stop' cleans it up)"
    else
        echo "not running"
    fi
    return 3
}

case "${1:-}" in
    start) cmd_start ;;
    import)
        shift
        [ "$#" -gt 0 ] || die "usage: $0 import --nodes=... [--relationships=...] [options] DATABASE"
        cmd_start "$@"
        ;;
    import-only)
        shift
        [ "$#" -gt 0 ] || die "usage: $0 import-only --nodes=... [--relationships=...] [options] DATABASE"
        cmd_import_only "$@"
        ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
        echo "usage: $0 start|stop|status|import ARGS...|import-only ARGS..." >&2
        exit 64
        ;;
esac
