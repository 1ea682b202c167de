#!/usr/bin/env bash
# npm run bench — the gateway side by side with the anchors (PostGraphile and a raw postgres.js
# server) in one interleaved run of ../shared/bench/anchors/run.sh. Seeds both data sets if
# needed. Figures are ratios within one run: this machine is shared and noisy.
# Knobs: everything run.sh takes (ROUNDS, DURATION_S, CONNECTIONS, PEER=0, SKIP_SEED=1 for the
# anchors' data, ...), plus BENCH_DB (the gateway's database, default gw) and BENCH_PORT (4000);
# then test/bench/extra.mjs (EXTRA=0 skips it; EXTRA_PORT, default BENCH_PORT + 1, EXTRA_SECTIONS, ...),
# then test/bench/live.mjs (LIVE=0 skips it; SUBS, EVENTS, BURST, LIVE_PORT).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ANCHORS="${ANCHORS:-$ROOT/../shared/bench/anchors}"
[ -x "$ANCHORS/run.sh" ] || { echo "anchors not found at $ANCHORS (set ANCHORS=...)" >&2; exit 1; }
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
BENCH_DB="${BENCH_DB:-gw}"
BENCH_PORT="${BENCH_PORT:-4000}"
TOKEN="${ADMIN_TOKEN:-bench-admin-token-0123456789}"
GW_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"

cd "$ROOT"
npm run build --silent
DATABASE_URL="$GW_URL" ADMIN_TOKEN="$TOKEN" node dist/test/bench/seed.js

# The anchors keep their own database; seed it only when it is missing.
if [ -z "${SKIP_SEED:-}" ] && psql -X -At -d "${ANCHOR_DB:-anchor}" -c "select 1 from users limit 1" >/dev/null 2>&1; then
  export SKIP_SEED=1
fi

export TARGET_URL="http://127.0.0.1:$BENCH_PORT/graphql"
export TARGET_QUERIES="$ROOT/test/bench/queries"
export TARGET_DB="$BENCH_DB"
export TARGET_AUTH="Bearer $TOKEN"
export TARGET_CMD="env DATABASE_URL=$GW_URL PORT=$BENCH_PORT HOST=127.0.0.1 LOG_LEVEL=warn ADMIN_TOKEN=$TOKEN node $ROOT/dist/main.js"
bash "$ANCHORS/run.sh"

# Part 2: what the anchors do not measure (REST vs GraphQL, page 1 vs page 1,000, a write mix, RSS,
# cold start) — test/bench/extra.mjs, with autocannon from the anchors' install. EXTRA=0 skips it.
if [ "${EXTRA:-1}" != 0 ]; then
  export ANCHOR_DIR="${ANCHOR_DIR:-${TMPDIR:-/tmp}/anchor-bench}"
  BENCH_DB="$BENCH_DB" ADMIN_TOKEN="$TOKEN" EXTRA_PORT="${EXTRA_PORT:-$((BENCH_PORT + 1))}" node "$ROOT/test/bench/extra.mjs"
fi

# Part 3: live events — commit-to-receipt latency with 1,000 subscriptions on one gateway and on
# three, burst throughput, memory per subscription (test/bench/live.mjs). LIVE=0 skips it.
if [ "${LIVE:-1}" != 0 ]; then
  BENCH_DB="$BENCH_DB" RESULTS_DIR="${ANCHOR_DIR:-${TMPDIR:-/tmp}/anchor-bench}/results/live-$(date -u +%Y%m%dT%H%M%SZ)" node "$ROOT/test/bench/live.mjs"
fi
