#!/bin/bash
# Case intake of one build over HTTP, for side-by-side runs of two builds: a fresh `accord serve
# --demo` on SQLite, 10 s of `wrk -t2 -c64` logging cases as ann@acme.demo
# (Benchmarks/HTTP/create-case.lua), cases/s, p99 and the server's CPU a case (from /proc).
#   usage: Benchmarks/HTTP/intake-ab.sh BINARY PORT
set -u
bin=$1; port=$2
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d /tmp/intake-XXXX)
"$bin" serve --db "$d/desk.sqlite" --admin-token-file "$d/admin-token" --port "$port" --demo > "$d/serve.log" 2>&1 &
pid=$!
for _ in $(seq 120); do grep -q "Demo desk seeded" "$d/serve.log" && break; sleep 0.5; done
token=$(grep -A30 "Demo desk seeded" "$d/serve.log" | grep "ann@acme.demo" | grep -o "acd_[A-Za-z0-9_-]*" | head -1)
c0=$(awk '{print $14+$15}' "/proc/$pid/stat")
out=$(ACCORD_TOKEN=$token wrk -t2 -c64 -d10s --latency -s "$here/create-case.lua" "http://127.0.0.1:$port" 2>&1)
c1=$(awk '{print $14+$15}' "/proc/$pid/stat")
total=$(echo "$out" | grep "requests in" | awk '{print $1}')
echo "$bin: $(echo "$out" | grep "Requests/sec" | awk '{print $2}') cases/s, p99 $(echo "$out" | grep " 99%" | awk '{print $2}'),"\
 "server CPU a case $(echo "scale=3; ($c1-$c0)*1000/$(getconf CLK_TCK)/$total" | bc) ms; $(echo "$out" | grep -i "non-2" | head -1)"
kill $pid; wait $pid 2>/dev/null; rm -rf "$d"
