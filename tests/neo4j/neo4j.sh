#!/usr/bin/env bash
# Test-only Neo4j 5.26 (in-process neo4j-harness + APOC core) without Docker.
#
#   bash tests/neo4j/neo4j.sh start    # prints the bolt URI (only that) on stdout
#   bash tests/neo4j/neo4j.sh stop     # never fails
#   bash tests/neo4j/neo4j.sh status   # prints running|stopped (exit 0|3)
#   bash tests/neo4j/neo4j.sh uri      # prints the bolt URI if running (exit 1 if not)
#
# Jars come from Maven Central into <repo>/.cache/m2; state lives in <repo>/.cache/neo4j.
# Environment knobs: IPLAYOUT_NEO4J_PORT (default: a free loopback port),
# IPLAYOUT_NEO4J_HEAP (2g), IPLAYOUT_NEO4J_PAGECACHE (512m), IPLAYOUT_NEO4J_JAVA_OPTS (extra
# JVM flags), IPLAYOUT_NEO4J_START_TIMEOUT (180 s), IPLAYOUT_NEO4J_STOP_TIMEOUT (30 s),
# JAVA_HOME (else java/javac from PATH).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$HERE/../.." && pwd -P)"
POM="$HERE/pom.xml"
SRC="$HERE/src/main/java/iplayout/neo4j/Launcher.java"
M2="$ROOT/.cache/m2"
STATE="${IPLAYOUT_NEO4J_STATE_DIR:-$ROOT/.cache/neo4j}"  # a second server needs its own state dir
PIDF="$STATE/pid"
URIF="$STATE/uri"
LOG="$STATE/server.log"
CPF="$STATE/classpath.txt"
CLASSES="$STATE/classes"
PLUGINS="$STATE/plugins"
DATAF="$STATE/datadir"
MAIN_CLASS="iplayout.neo4j.Launcher"
START_TIMEOUT="${IPLAYOUT_NEO4J_START_TIMEOUT:-180}"
STOP_TIMEOUT="${IPLAYOUT_NEO4J_STOP_TIMEOUT:-30}"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"
else
  JAVA="java"; JAVAC="javac"
fi

log() { printf 'neo4j.sh: %s\n' "$*" >&2; }
die() { printf 'neo4j.sh: error: %s\n' "$*" >&2; exit 1; }

# pid of our running launcher, or nothing (guards against stale pid files / pid reuse)
running_pid() {
  [[ -f "$PIDF" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PIDF")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS" || return 1
  fi
  printf '%s\n' "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 40000 ))
    port_open "$p" || { echo "$p"; return; }
  done
  die "could not find a free loopback port"
}

cleanup_state() {
  local d
  rm -f "$PIDF" "$URIF"
  if [[ -f "$DATAF" ]]; then
    d="$(cat "$DATAF")"
    [[ "$d" == "$STATE"/data-* ]] && rm -rf -- "$d"
    rm -f "$DATAF"
  fi
  # leftovers of earlier runs that died without stop
  rm -rf -- "$STATE"/data-* 2>/dev/null || true
}

# Resolve the dependency classpath into $CPF (only when the pom changed or a jar is missing).
resolve_classpath() {
  local need=0 jar
  if [[ ! -s "$CPF" || "$POM" -nt "$CPF" ]]; then
    need=1
  else
    while IFS= read -r jar; do
      [[ -f "$jar" ]] || { need=1; break; }
    done < <(tr ':' '\n' <"$CPF")
  fi
  (( need )) || return 0
  command -v mvn >/dev/null 2>&1 || die "mvn (Maven 3.8+) not found on PATH; needed once to fetch Neo4j jars"
  log "resolving Neo4j jars with Maven into $M2 (first run downloads ~180 MB)"
  mkdir -p "$M2"
  local rc=0
  # (-q still emits stray ANSI resets on Maven 3.8; strip them)
  mvn -q -B -Dstyle.color=never -f "$POM" -Dmaven.repo.local="$M2" \
      dependency:build-classpath -Dmdep.outputFile="$CPF.tmp" 2>&1 \
    | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2 || rc=$?
  if (( rc != 0 )) || [[ ! -s "$CPF.tmp" ]]; then
    rm -f "$CPF.tmp"
    die "Maven could not resolve the Neo4j harness/APOC jars (see output above)"
  fi
  mv -f "$CPF.tmp" "$CPF"
}

compile_launcher() {
  local cls="$CLASSES/iplayout/neo4j/Launcher.class"
  if [[ -f "$cls" && "$cls" -nt "$SRC" && "$cls" -nt "$CPF" ]]; then
    return 0
  fi
  command -v "$JAVAC" >/dev/null 2>&1 || die "javac not found (need a JDK 17+, not just a JRE)"
  log "compiling launcher"
  rm -rf "$CLASSES"; mkdir -p "$CLASSES"
  "$JAVAC" -nowarn --release 17 -encoding UTF-8 -d "$CLASSES" -cp "$(cat "$CPF")" "$SRC" >&2 \
    || die "javac failed to compile $SRC"
}

# APOC jars are on the classpath (for its extension factories) and copied into the plugin
# directory (so Neo4j registers its procedures/functions) -- same layout as a real server.
prepare_plugins() {
  local jar
  rm -rf "$PLUGINS"; mkdir -p "$PLUGINS"
  while IFS= read -r jar; do
    case "$jar" in
      */org/neo4j/procedure/apoc-*.jar) cp -f "$jar" "$PLUGINS/" ;;
    esac
  done < <(tr ':' '\n' <"$CPF")
  compgen -G "$PLUGINS/apoc-core-*.jar" >/dev/null || die "apoc-core jar missing from the resolved classpath"
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    [[ -s "$URIF" ]] || die "Neo4j process $pid is running but $URIF is missing; run stop"
    cat "$URIF"; return 0
  fi
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 17+ on PATH or JAVA_HOME)"
  mkdir -p "$STATE"
  cleanup_state
  resolve_classpath
  compile_launcher
  prepare_plugins

  local port data t0 uri
  port="${IPLAYOUT_NEO4J_PORT:-$(free_port)}"
  port_open "$port" && die "port 127.0.0.1:$port is already in use"
  data="$(mktemp -d "$STATE/data-XXXXXX")"
  printf '%s\n' "$data" >"$DATAF"

  # shellcheck disable=SC2206
  local jvm=(
    -Xms512m "-Xmx${IPLAYOUT_NEO4J_HEAP:-2g}"
    -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    -Djdk.nio.maxCachedBufferSize=1024
    -Dlog4j2.disable.jmx=true
    -Dfile.encoding=UTF-8
    "-Diplayout.neo4j.pagecache=${IPLAYOUT_NEO4J_PAGECACHE:-512m}"
    ${IPLAYOUT_NEO4J_JAVA_OPTS:-}
  )
  log "starting Neo4j on 127.0.0.1:$port (log: $LOG)"
  t0=$SECONDS
  nohup "$JAVA" "${jvm[@]}" -cp "$CLASSES:$(cat "$CPF")" "$MAIN_CLASS" \
    "$port" "$data" "$PLUGINS" >"$LOG" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$PIDF"

  uri="bolt://127.0.0.1:$port"
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      tail -n 40 "$LOG" >&2 || true
      cleanup_state
      die "Neo4j exited during startup (full log: $LOG)"
    fi
    if grep -q '^BOLT bolt://' "$LOG" 2>/dev/null && port_open "$port"; then
      break
    fi
    if (( SECONDS - t0 >= START_TIMEOUT )); then
      tail -n 40 "$LOG" >&2 || true
      kill -KILL "$pid" 2>/dev/null || true
      cleanup_state
      die "Neo4j did not become ready within ${START_TIMEOUT}s (full log: $LOG)"
    fi
    sleep 0.5
  done
  printf '%s\n' "$uri" >"$URIF"
  log "ready after $(( SECONDS - t0 ))s (pid $pid)"
  printf '%s\n' "$uri"
}

cmd_stop() {
  local pid i
  if pid="$(running_pid)"; then
    log "stopping Neo4j (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for (( i = 0; i < STOP_TIMEOUT * 4; i++ )); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not exit after ${STOP_TIMEOUT}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      for (( i = 0; i < 40; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
  fi
  [[ -d "$STATE" ]] && cleanup_state
  return 0
}

cmd_status() {
  if running_pid >/dev/null; then echo running; else echo stopped; return 3; fi
}

cmd_uri() {
  running_pid >/dev/null && [[ -s "$URIF" ]] || die "Neo4j is not running"
  cat "$URIF"
}

# one start/stop at a time per checkout
with_lock() {
  mkdir -p "$STATE"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$STATE/lock"
    flock -w "$(( START_TIMEOUT + 60 ))" 9 || die "timed out waiting for $STATE/lock"
  fi
  "$@"
}

case "${1:-}" in
  start)  with_lock cmd_start ;;
  stop)   with_lock cmd_stop ;;
  status) cmd_status ;;
  uri)    cmd_uri ;;
  *) echo "usage: bash tests/neo4j/neo4j.sh start|stop|status|uri" >&2; exit 2 ;;
esac
