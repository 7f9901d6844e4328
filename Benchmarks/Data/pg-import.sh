#!/bin/bash
# `accord import cases` of one build into a new PostgreSQL database seeded by `accord serve --demo`,
# for side-by-side runs of two builds; the database is dropped afterwards. Needs the role
# accord/accord on 127.0.0.1:5432.
#   usage: Benchmarks/Data/pg-import.sh BINARY HISTORY.jsonl
set -u
bin=$1; history=$2; db=import_bench_$RANDOM
export PGPASSWORD=accord
psql -h 127.0.0.1 -U accord -d postgres -qc "CREATE DATABASE $db"
export DATABASE_URL=postgres://accord:accord@127.0.0.1:5432/$db
log=$(mktemp)
"$bin" serve --admin-token-file "$log.token" --port $((8500 + RANDOM % 400)) --demo > "$log" 2>&1 &
pid=$!
for _ in $(seq 240); do grep -q "Demo desk seeded" "$log" && break; sleep 0.5; done
kill $pid; wait $pid 2>/dev/null
echo -n "$bin: "
/usr/bin/time -f "%e s wall, %U user, %S sys, %M KB" "$bin" import cases "$history" 2>&1 | tail -2 | tr "\n" " "; echo
psql -h 127.0.0.1 -U accord -d postgres -qc "DROP DATABASE $db"
rm -f "$log" "$log.token"
