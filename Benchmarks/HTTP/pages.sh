#!/usr/bin/env bash
# The web desk's pages under load: an agent's queue page and case page with 1,000,000 cases stored,
# 50 connections at once carrying one agent's session cookie (wrk), the page weight, and the
# server's CPU time per page. See BENCHMARKS.md ("The web desk's pages").
#
#   bash Benchmarks/HTTP/pages.sh [workdir]
#
# Needs wrk (Debian) and a release build; takes about ten minutes, most of it seeding.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
port=8097
db="$work/pages.sqlite"
swift build -c release --product accord > /dev/null
accord=.build/release/accord

serve() { "$accord" serve --db "$db" --port "$port" "$@" > "$work/serve.log" 2>&1 & echo $!; }
ready() { for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && return; sleep 0.5; done; echo "the desk did not start" >&2; exit 1; }

if [ ! -f "$db" ]; then
    pid=$(serve --demo); ready
    cp "$work/serve.log" "$work/demo.log"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    python3 Benchmarks/HTTP/seed-cases.py --sqlite "$db" --cases 1000000
    pid=$(serve); ready
    # 20 s of Prairie Foods cases by mail: the pro-plus tier-1 queue fills (about 20,000 waiting).
    token=$(awk '/paul@prairie.demo/ {print $NF; exit}' "$work/demo.log")
    ACCORD_TOKEN=$token ACCORD_PRIORITIES=none wrk -t2 -c32 -d20s -s Benchmarks/HTTP/create-case.lua "http://127.0.0.1:$port" > /dev/null
    kill "$pid"; wait "$pid" 2>/dev/null || true
fi
pid=$(serve --session-idle-minutes 1440); ready
password=$(awk '/agent.tier1@accord.demo/ {print $(NF-1); exit}' "$work/demo.log")
jar="$work/cookies"
rm -f "$jar"
form=$(curl -s -c "$jar" "http://127.0.0.1:$port/sign-in" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null -X POST "http://127.0.0.1:$port/sign-in" \
    --data-urlencode "email=agent.tier1@accord.demo" --data-urlencode "password=$password" --data-urlencode "_csrf=$form"
session=$(awk '$6 == "accord_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "could not sign in" >&2; exit 1; }
cookie="Cookie: accord_session=$session; accord_zone=Europe/Oslo"
queue="/console/queues/pro-plus.tier-1"
case=$(curl -s -H "$cookie" "http://127.0.0.1:$port$queue" | grep -o '/console/cases/[0-9A-F-]\{36\}' | head -1)
echo "cases stored: $(sqlite3 "$db" 'SELECT COUNT(*) FROM cases' 2>/dev/null || echo '?'); queue page $queue; case page $case"
for page in "$queue" "$case" /console/queues /console/board; do
    size=$(curl -s -H "$cookie" "http://127.0.0.1:$port$page" | wc -c)
    echo "page weight $page: $size bytes"
done
echo "stylesheet $(curl -s "http://127.0.0.1:$port/assets/desk.css" | wc -c) bytes, script $(curl -s "http://127.0.0.1:$port/assets/desk.js" | wc -c) bytes"
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
ticks=$(getconf CLK_TCK)
# 50 agents, each opening the page again after a pause (exponential, mean 1 s: an agent working
# fast), then the same 50 without pause (the desk saturated).
for page in "$queue" "$case"; do
    wrk -t2 -c50 -d5s -H "$cookie" "http://127.0.0.1:$port$page" > /dev/null   # warm up
    for think in 1000 0; do
        before=$(cpu)
        out=$(ACCORD_COOKIE="accord_session=$session; accord_zone=Europe/Oslo" ACCORD_PATH="$page" ACCORD_THINK_MS=$think \
            wrk -t2 -c50 -d20s --latency -s Benchmarks/HTTP/page.lua "http://127.0.0.1:$port")
        after=$(cpu)
        requests=$(echo "$out" | awk '/requests in/ {print $1}')
        echo "== $page (50 agents, pause ${think} ms, 20 s)"
        echo "$out" | grep -E "Latency|50%|90%|99%|Requests/sec|not 200"
        echo "server CPU per page: $(echo "scale=3; ($after - $before) * 1000 / $ticks / $requests" | bc) ms"
    done
done
kill "$pid"; wait "$pid" 2>/dev/null || true
