#!/bin/sh
# Request slots: the pool has more workers than -j, the semaphore alone
# bounds requests in flight, and a job waiting out a Retry-After holds no
# slot, so the other jobs keep the slots busy meanwhile.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

tree="$T/tree"
mkdir -p "$tree"
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	printf 'file %d\n' "$n" >"$tree/f$n.txt"
done
server_start --root "$tree" --latency 100
server_start --root "$tree"
# In list2, f0 is asked of the second server by another name: a 503
# with Retry-After pauses its host only ("localhost"), not the others.
echo "http://localhost:$SERVER2_PORT/f0.txt" >"$T/list2"
for n in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	echo "$SERVER_URL/f$n.txt"
	[ "$n" -eq 0 ] || echo "$SERVER2_URL/f$n.txt" >&3
done >"$T/list" 3>>"$T/list2"

# Twice as many workers as slots: a count of workers would allow 6.
run_fp -j 3 -q -o "$T/dl" "$T/list"
is "-j 3: exit 0" "$rc" 0
s=$(server_stats)
is "-j 3: peak in flight is 3 with 6 workers" \
	"$(echo "$s" | jq .peak_in_flight)" 3
is "-j 3: 16 requests" "$(echo "$s" | jq '.requests | length')" 16
conns=$(echo "$s" | jq .connections)
ok "-j 3: a handle per slot, not per worker ($conns connections)" \
	test "$conns" -le 3

# -j 1: f0 is told to come back in 3 s. Its worker sleeps without a slot,
# so every other file is fetched before f0's second attempt. With one
# worker per slot nothing else would move for 3 s. (No latency here: the
# other 15 files take a fraction of those 3 s even under sanitizers.)
rm -rf "$T/dl"
server_rule /f0.txt '503+ra=3' "$SERVER2_URL"
run_fp -j 1 -q -o "$T/dl" "$T/list2"
is "Retry-After: exit 0" "$rc" 0
is "Retry-After: 16 files" "$(ls "$T/dl" | grep -c '^f')" 16
s=$(server_stats "$SERVER2_URL")
# (No peak check here: without latency the server notes a response's end
# a little after the client has it, and the next request may overlap it.)
is "Retry-After: f0 asked twice" \
	"$(echo "$s" | jq '[.requests[] | select(.path == "/f0.txt")] | length')" 2
retry_at=$(echo "$s" | jq '[.requests[] | select(.path == "/f0.txt")][1].t_ms')
others=$(echo "$s" | jq "[.requests[] | select(.path != \"/f0.txt\" and .t_ms < $retry_at)] | length")
is "Retry-After: the other 15 files went while f0 waited" "$others" 15
wait_ms=$(echo "$s" | jq "$retry_at - [.requests[] | select(.path == \"/f0.txt\")][0].end_ms")
ok "Retry-After: f0 waited the 3 s it was told ($wait_ms ms)" \
	test "$wait_ms" -ge 2900
done_testing
