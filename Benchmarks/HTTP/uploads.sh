#!/usr/bin/env bash
# Usage: uploads.sh NAME BINARY PORT — a fresh demo desk takes 12 uploads of 19 MB at once (3 people, 4 each);
# prints the answers, the resident memory before and its peak (VmHWM), and the time.
set -u
name=$1; bin=$2; port=$3
dir=/tmp/bench-up-$name; rm -rf $dir; mkdir -p $dir
[ -f /tmp/u19.bin ] || head -c 19000000 /dev/urandom > /tmp/u19.bin
$bin serve --demo --db $dir/desk.sqlite --port $port > $dir/serve.log 2>&1 &
pid=$!
for i in $(seq 1 60); do curl -sf http://127.0.0.1:$port/health > /dev/null && break; sleep 0.5; done
admin=$(cat $dir/desk.sqlite.admin-token)
t1=$(awk '/agent.tier1@accord.demo/ {print $NF; exit}' $dir/serve.log)
t2=$(awk '/agent.tier2@accord.demo/ {print $NF; exit}' $dir/serve.log)
case=$(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$port/api/v1/cases?limit=1" | python3 -c "import sys,json; print(json.load(sys.stdin)['items'][0]['id'])")
rss0=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
start=$(date +%s.%N)
codes=""
for token in $admin $t1 $t2; do for i in 1 2 3 4; do
  curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $token" -H "Expect:" -F "file=@/tmp/u19.bin" http://127.0.0.1:$port/api/v1/cases/$case/attachments >> $dir/codes &
done; done
wait $(jobs -p | grep -v "^$pid$") 2>/dev/null
end=$(date +%s.%N)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "$name uploads: statuses $(sort $dir/codes | uniq -c | tr '\n' ' '), RSS $((rss0/1024)) MB before, peak $((hwm/1024)) MB, $(python3 -c "print(round($end-$start,1))") s"
kill $pid; wait $pid 2>/dev/null
