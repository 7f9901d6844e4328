#!/usr/bin/env bash
# Usage: front-door.sh NAME BINARY PORT — a fresh demo desk: 10 s of intake (create-case.lua) and 10 s of GET /api/v1/me
# with wrk (2 threads, 64 connections); requests/s, p99 and the server's CPU per request from /proc/PID/stat.
set -u
name=$1; bin=$2; port=$3
dir=/tmp/bench-run-$name; rm -rf $dir; mkdir -p $dir
$bin serve --demo --db $dir/desk.sqlite --port $port --auth-failures-per-minute 0 > $dir/serve.log 2>&1 &
pid=$!
for i in $(seq 1 60); do curl -sf http://127.0.0.1:$port/health > /dev/null && break; sleep 0.5; done
token=$(awk '/ann@acme.demo/ {print $NF; exit}' $dir/serve.log)
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
tick=$(getconf CLK_TCK)
for kind in intake me; do
  before=$(cpu)
  if [ $kind = intake ]; then
    out=$(ACCORD_TOKEN=$token wrk -t2 -c64 -d10s --latency -s "$(dirname "$0")/create-case.lua" http://127.0.0.1:$port 2>&1)
  else
    out=$(wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer $token" http://127.0.0.1:$port/api/v1/me 2>&1)
  fi
  after=$(cpu)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$name $kind: $rps req/s, p99 $p99, server CPU $(awk -v c=$((after-before)) -v t=$tick -v r=$reqs 'BEGIN {printf "%.3f", c/t*1000/r}') ms/request, non-2xx ${non2xx:-0}"
done
kill $pid; wait $pid 2>/dev/null
