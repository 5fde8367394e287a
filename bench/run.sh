#!/usr/bin/env bash
# Load benchmark of the public read paths on PostgreSQL over loopback, with the national
# dataset (290 municipalities × 2 promise periods × 25 activities). Needs wrk (apt-get install
# wrk) and a PostgreSQL server; prints one line per scenario and writes bench/out/results.md.
#
#   bench/run.sh                       # 32 connections, 10 s per scenario
#   CONNECTIONS=64 DURATION=30s bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ADMIN_URL=${PGADMIN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
DB=samverkan_bench
DB_URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable"
ADDR=127.0.0.1:18700
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
OUT=bench/out
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

echo "== building and generating the national dataset"
go build -o "$OUT/samverkan" ./cmd/samverkan
go run ./bench/national > "$OUT/national.json"
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
start=$(date +%s.%N)
"$OUT/samverkan" import "$OUT/national.json" --database-url "$DB_URL" | tail -n 1
echo "import took $(echo "$(date +%s.%N) - $start" | bc) s"

echo "== starting the server"
# One client address makes every request here: the per-address and per-token limits are off.
RATE_LIMIT_IP=0 RATE_LIMIT_TOKEN=0 "$OUT/samverkan" serve --database-url "$DB_URL" --addr "$ADDR" >/dev/null 2>"$OUT/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://$ADDR/readyz" >/dev/null && break; sleep 0.2; done

token=$("$OUT/samverkan" token create --name "bench" --role admin --database-url "$DB_URL" 2>/dev/null)
activity=$(curl -sf "http://$ADDR/v1/activities?limit=1" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
current="http://$ADDR/v1/municipalities/0101/promise-periods/current"
tag=$(curl -sfI "$current" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')

results="$OUT/results.md"
printf '| scenario | requests/s | p50 | p99 |\n|---|---|---|---|\n' > "$results"
scenario() { # name url [header]
  local name=$1 url=$2 header=${3:-}
  local args=(-t2 -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  local out
  wrk -t2 -c"$CONNECTIONS" -d2s ${header:+-H "$header"} "$url" >/dev/null # warm up connections and caches
  out=$(wrk "${args[@]}" "$url")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  if grep -q "Non-2xx or 3xx" <<<"$out"; then echo "$name: errors during the run" >&2; echo "$out" >&2; exit 1; fi
  printf '%s: %s req/s, p50 %s, p99 %s\n' "$name" "$rps" "$p50" "$p99"
  printf '| %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p99" >> "$results"
}

echo "== $CONNECTIONS connections, $DURATION per scenario"
scenario "S1 one activity by id" "http://$ADDR/v1/activities/$activity"
scenario "S2 current promises of one municipality" "$current"
scenario "S3 100 activities by updatedAt" "http://$ADDR/v1/activities?sort=updatedAt&limit=100"
scenario "S4 S2 revalidated (304)" "$current" "If-None-Match: $tag"
# With a token nothing is cached: every request takes the whole path to PostgreSQL.
scenario "S5 S2 with a token (uncached)" "$current" "Authorization: Bearer $token"
scenario "S6 a page of 100 events of the change feed" "http://$ADDR/v1/events?after=5000&limit=100"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo "peak RSS of the server: $((rss / 1024)) MB"
printf '\npeak RSS of the server: %s MB\n' "$((rss / 1024))" >> "$results"
