#!/usr/bin/env bash
# Frontlijn's test command (the one README.md names; .ci/run calls it).
#
#   scripts/test.sh
#
# 1. installs what is missing via apt (postgresql-15, redis-server, chromium, nodejs + npm) - only as root, apt-get
#    update only when needed;
# 2. starts a throwaway PostgreSQL 15 cluster and Redis on 127.0.0.1 (PGPORT, default 55432; REDIS_PORT, default
#    6390; the next free port when the default is taken) and removes both on exit;
# 3. exports FRONTLIJN_TEST_POSTGRES and FRONTLIJN_TEST_REDIS for the test projects; npm ci for the test OpenID
#    provider (tests/oidc-provider) and the test SMTP server (tests/smtp-server) when node_modules is missing or older
#    than package-lock.json;
# 4. dotnet restore, dotnet build -c Release, dotnet test Frontlijn.sln -c Release --no-build (one .trx per project);
# 5. prints as its last line "N passed, N failed", summed over every .trx file.
#
# A caller that sets FRONTLIJN_TEST_POSTGRES (or FRONTLIJN_TEST_REDIS) keeps it: no cluster (or Redis) is started.
# Exit code: non-zero when a test failed, the build or test run failed, or no test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T0=$SECONDS
step() { echo "== [$(date +%T) +$((SECONDS - T0))s] $*"; }
die() { echo "test.sh: $*" >&2; echo "0 passed, 0 failed"; exit 1; }
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PGBIN=/usr/lib/postgresql/15/bin
IS_ROOT=false; [ "$(id -u)" -eq 0 ] && IS_ROOT=true

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is not on PATH"

# True when something already listens on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# The requested port; when it was not set explicitly and is taken (another run?), the next free one.
pick_port() { # $1 = explicit value or empty, $2 = default, $3 = name
  local port=${1:-$2}
  if port_busy "$port"; then
    if [ -n "$1" ]; then echo "test.sh: $3=$port is already in use on 127.0.0.1" >&2; return 1; fi
    while port_busy "$port"; do port=$((port + 1)); done
  fi
  echo "$port"
}

START_PG=true;    [ -n "${FRONTLIJN_TEST_POSTGRES:-}" ] && START_PG=false
START_REDIS=true; [ -n "${FRONTLIJN_TEST_REDIS:-}" ] && START_REDIS=false

# ---- 1. OS packages (only what is missing) ----
need=()
if $START_PG && [ ! -x "$PGBIN/initdb" ]; then need+=(postgresql-15); fi
if $START_REDIS && ! command -v redis-server >/dev/null; then need+=(redis-server); fi
# Browser tests (tests/Frontlijn.BrowserTests) drive Debian's Chromium through Playwright: no `playwright install`.
CHROMIUM=${FRONTLIJN_TEST_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then need+=(chromium); fi
# The identity tests start a real OpenID provider (tests/oidc-provider, oidc-provider on Node) on loopback.
if ! command -v node >/dev/null; then need+=(nodejs); fi
if ! command -v npm >/dev/null; then need+=(npm); fi
if [ ${#need[@]} -gt 0 ]; then
  $IS_ROOT || die "missing ${need[*]}; install them or run as root"
  step "apt-get install ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null   # policy-rc.d keeps apt from starting services: we start our own
fi

# ---- 2. throwaway services, removed on exit ----
PGDATA=""; REDIS_DIR=""; RES=""
cleanup() {
  if [ -n "$REDIS_DIR" ]; then
    # By our own pid file: never stop a Redis that another run started on the same port.
    local pid
    if pid=$(cat "$REDIS_DIR/redis.pid" 2>/dev/null) && kill "$pid" 2>/dev/null; then
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$REDIS_DIR"
  fi
  if [ -n "$PGDATA" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDATA"
  fi
}
trap cleanup EXIT
# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_pg() { if $IS_ROOT; then runuser -u postgres -- "$@"; else "$@"; fi; }

if $START_PG; then
  # Under /tmp, not $TMPDIR: the postgres user must be able to reach it.
  PGDATA=$(mktemp -d /tmp/frontlijn-pg.XXXXXX)
  if $IS_ROOT; then chown postgres:postgres "$PGDATA"; fi
  chmod 700 "$PGDATA"
  step "postgres 15: initdb"
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # fsync and friends off: a test cluster that is thrown away needs no durability. (Not pg_createcluster: it
  # writes a broken config when given listen_addresses.) Another run may take the same free port between our check
  # and the bind: then try the next one, unless the caller fixed PGPORT.
  PGPORT_WANTED=${PGPORT:-}
  for attempt in 1 2 3 4 5; do
    PGPORT=$(pick_port "$PGPORT_WANTED" $((55432 + attempt - 1)) PGPORT) || die "choose another PGPORT"
    step "postgres 15: start on 127.0.0.1:$PGPORT"
    if as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
      break
    fi
    [ -z "$PGPORT_WANTED" ] && [ "$attempt" -lt 5 ] || { tail -n 20 "$PGDATA/server.log" >&2 || true; die "PostgreSQL did not start"; }
  done
  export FRONTLIJN_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
else
  step "postgres: using FRONTLIJN_TEST_POSTGRES from the caller"
fi

if $START_REDIS; then
  REDIS_DIR=$(mktemp -d -t frontlijn-redis.XXXXXX)
  # --daemonize returns before the bind: we know it is ours only when the server on the port has our pid.
  redis_is_ours() {
    local pid
    pid=$(cat "$REDIS_DIR/redis.pid" 2>/dev/null) || return 1
    redis-cli -p "$REDIS_PORT" info server 2>/dev/null | tr -d '\r' | grep -qx "process_id:$pid"
  }
  REDIS_PORT_WANTED=${REDIS_PORT:-}
  for attempt in 1 2 3 4 5; do
    REDIS_PORT=$(pick_port "$REDIS_PORT_WANTED" $((6390 + attempt - 1)) REDIS_PORT) || die "choose another REDIS_PORT"
    step "redis on 127.0.0.1:$REDIS_PORT"
    rm -f "$REDIS_DIR/redis.pid"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
      --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" --pidfile "$REDIS_DIR/redis.pid" >/dev/null
    for _ in $(seq 50); do redis_is_ours && break; sleep 0.1; done
    redis_is_ours && break
    [ -z "$REDIS_PORT_WANTED" ] && [ "$attempt" -lt 5 ] || { tail -n 20 "$REDIS_DIR/redis.log" >&2 || true; die "Redis did not start"; }
  done
  export FRONTLIJN_TEST_REDIS="127.0.0.1:$REDIS_PORT"
else
  step "redis: using FRONTLIJN_TEST_REDIS from the caller"
fi

# ---- 3. front-end dependencies, when there are any (e.g. npm ci for the @microsoft/signalr browser client) ----
# The test OpenID provider: npm ci only when node_modules is missing or package-lock.json changed since the last
# install (npm ci writes node_modules/.package-lock.json, so a newer package-lock.json means it changed).
OIDC_DIR="$ROOT/tests/oidc-provider"
# oidc-provider 9 needs Node >= 20.18 (URL.parse); Debian 12's own nodejs is 18: the identity tests then fail, loudly.
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=18)?0:1)' \
  || echo "test.sh: warning: node $(node --version) is older than 20.18; the OpenID provider tests will fail" >&2
if [ ! -f "$OIDC_DIR/node_modules/.package-lock.json" ] || [ "$OIDC_DIR/package-lock.json" -nt "$OIDC_DIR/node_modules/.package-lock.json" ]; then
  step "npm ci (tests/oidc-provider)"
  (cd "$OIDC_DIR" && npm ci --no-audit --no-fund >/dev/null) || die "npm ci in tests/oidc-provider failed"
fi
# The mail tests start a real SMTP server (tests/smtp-server: smtp-server + mailparser on Node) on loopback; the same rule.
SMTP_DIR="$ROOT/tests/smtp-server"
if [ ! -f "$SMTP_DIR/node_modules/.package-lock.json" ] || [ "$SMTP_DIR/package-lock.json" -nt "$SMTP_DIR/node_modules/.package-lock.json" ]; then
  step "npm ci (tests/smtp-server)"
  (cd "$SMTP_DIR" && npm ci --no-audit --no-fund >/dev/null) || die "npm ci in tests/smtp-server failed"
fi

# ---- 4. build + test ----
step "dotnet restore"
dotnet restore Frontlijn.sln -v q --nologo || die "dotnet restore failed"
step "dotnet build -c Release"
dotnet build Frontlijn.sln -c Release --no-restore -v q --nologo -clp:ErrorsOnly || die "dotnet build failed"

step "dotnet test (FRONTLIJN_TEST_POSTGRES=${FRONTLIJN_TEST_POSTGRES}, FRONTLIJN_TEST_REDIS=${FRONTLIJN_TEST_REDIS})"
mkdir -p "$ROOT/TestResults"
RES=$(mktemp -d "$ROOT/TestResults/run-$(date +%Y%m%d-%H%M%S)-XXXX")
export FRONTLIJN_TEST_CHROMIUM="$CHROMIUM"
# Screenshots of the main pages at desktop and phone width are kept beside the .trx files as artifacts.
export FRONTLIJN_TEST_SCREENSHOTS="${FRONTLIJN_TEST_SCREENSHOTS:-$RES/screenshots}"
rc=0
# LogFilePrefix, not LogFileName: every test project writes its own file (<prefix>_<framework>_<timestamp>.trx);
# a fixed LogFileName would let the projects overwrite each other's results. A hung test host is killed after
# TEST_HANG_TIMEOUT so that CI ends by itself.
dotnet test Frontlijn.sln -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=results" --results-directory "$RES" \
  --blame-hang-timeout "${TEST_HANG_TIMEOUT:-15m}" --blame-hang-dump-type none || rc=$?

# ---- 5. closing line for the CI parser: "N passed, N failed", summed over every .trx ----
# "failed" also counts tests that ended in error, timed out or were aborted.
sum_counter() { # $1 = attribute of <Counters>
  local total=0 n f
  while IFS= read -r -d '' f; do
    n=$(grep -o '<Counters [^>]*>' "$f" | head -n 1 | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]\+' || true)
    total=$((total + ${n:-0}))
  done < <(find "$RES" -name '*.trx' -print0)
  echo "$total"
}
trx_count=$(find "$RES" -name '*.trx' | wc -l)
passed=$(sum_counter passed)
failed=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted) ))
step "done: dotnet test exit code $rc, $trx_count .trx file(s) in ${RES#"$ROOT"/}"
[ "$failed" -eq 0 ] || rc=1
[ "$passed" -gt 0 ] || rc=1
echo "$passed passed, $failed failed"
exit "$rc"
