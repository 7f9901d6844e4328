#!/usr/bin/env bash
# Usage: search.sh NAME BINARY PORT (--db FILE | --postgres URL) ADMIN-TOKEN CUSTOMER-TOKEN WORD...
# A desk filled by seed-search.py: for staff (the administrator) and for a customer (CUSTOMER-TOKEN),
# 10 s of the plain list (GET /api/v1/cases) and 10 s of a one-word search (?q=WORD) for each WORD,
# with wrk (1 thread, CONNECTIONS connections: 4 unless set), side by side in one run: requests/s,
# p50, p99, and the server's CPU per request from /proc/PID/stat.
set -u
name=$1; bin=$2; port=$3; store=$4; target=$5; admin=$6; customer=$7; shift 7
dir=/tmp/bench-run-$name; rm -rf $dir; mkdir -p $dir
if [ "$store" = --postgres ]; then
  DATABASE_URL=$target $bin serve --port $port --auth-failures-per-minute 0 > $dir/serve.log 2>&1 &
else
  $bin serve --db $target --port $port --auth-failures-per-minute 0 > $dir/serve.log 2>&1 &
fi
pid=$!
for i in $(seq 1 120); do curl -sf http://127.0.0.1:$port/health > /dev/null && break; sleep 0.5; done
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
tick=$(getconf CLK_TCK)
run() {  # caller token label path
  curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$port$4" > /dev/null || echo "warning: $4 failed"
  before=$(cpu)
  out=$(wrk -t1 -c${CONNECTIONS:-4} -d10s --latency -H "Authorization: Bearer $2" "http://127.0.0.1:$port$4" 2>&1)
  after=$(cpu)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$name $1 $3: $rps req/s, p50 $p50, p99 $p99, server CPU $(awk -v c=$((after-before)) -v t=$tick -v r=$reqs 'BEGIN {printf "%.2f", c/t*1000/r}') ms/request, non-2xx ${non2xx:-0}"
}
for caller in staff customer; do
  token=$admin; [ $caller = customer ] && token=$customer
  run $caller $token "list" "/api/v1/cases"
  for word in "$@"; do run $caller $token "q=$word" "/api/v1/cases?q=$word"; done
done
kill $pid; wait $pid 2>/dev/null
