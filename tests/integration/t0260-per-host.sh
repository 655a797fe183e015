#!/bin/sh
# Per-host limits: --max-per-host caps the requests in flight to one
# host:port while jobs for other hosts keep flowing (a full host holds no
# worker and no slot), and a 429 pauses every new request to its host for
# the time given while other hosts are served. One server answers to two
# host names (127.0.0.1 and localhost), so one clock times both.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

tree="$T/tree"
mkdir -p "$tree"
for n in 0 1 2 3 4 5 6 7 8 9; do
	printf 'a %d\n' "$n" >"$tree/a$n.txt"
	printf 'b %d\n' "$n" >"$tree/b$n.txt"
done
server_start --root "$tree" --latency 200
A="http://127.0.0.1:$SERVER_PORT"
B="http://localhost:$SERVER_PORT"

# Most requests of one path group in flight at once, from the server log.
peak_of() { # PREFIX
	server_stats | jq --arg p "/$1" '[.requests[] | select(.path |
		startswith($p))] as $r | [$r[] | .t_ms as $t |
		[$r[] | select(.t_ms <= $t and .end_ms > $t)] | length] | max'
}

# Host A's ten jobs first, then host B's: with -j 6 and two per host,
# B's jobs must not wait behind A's.
for n in 0 1 2 3 4 5 6 7 8 9; do echo "$A/a$n.txt"; done >"$T/list"
for n in 0 1 2 3 4 5 6 7 8 9; do echo "$B/b$n.txt"; done >>"$T/list"
run_fp -j 6 --max-per-host 2 -q -o "$T/dl" "$T/list"
is "--max-per-host 2: exit 0" "$rc" 0
is "--max-per-host 2: 20 files" "$(ls "$T/dl" | wc -l | tr -d ' ')" 20
is "--max-per-host 2: host A peaks at 2" "$(peak_of a)" 2
is "--max-per-host 2: host B peaks at 2" "$(peak_of b)" 2
is "--max-per-host 2: 4 in flight, the two hosts together" \
	"$(server_stats | jq .peak_in_flight)" 4
first_b=$(server_stats | jq '[.requests[] | select(.path | startswith("/b"))
	| .t_ms] | min')
last_a=$(server_stats | jq '[.requests[] | select(.path | startswith("/a"))
	| .t_ms] | max')
ok "--max-per-host 2: host B started before host A's last job" \
	test "$first_b" -lt "$last_a"

# Out of range: one line naming the option, exit 2.
run_fp --max-per-host 0 -o "$T/dl0" "$T/list"
is "--max-per-host 0: exit 2" "$rc" 2
like "--max-per-host 0: names the option" "$(cat "$T/err")" 'max-per-host'

# 429 with Retry-After: 2 on a0: host A pauses for 2 s for every worker;
# host B's jobs go meanwhile.
server_reset
rm -rf "$T/dl"
server_rule /a0.txt '429+ra=2'
run_fp -j 4 -q -o "$T/dl" "$T/list"
is "429: exit 0" "$rc" 0
is "429: 20 files" "$(ls "$T/dl" | wc -l | tr -d ' ')" 20
s=$(server_stats)
# Requests that left before the 429 was read may arrive a few ms after it
# was sent: the window starts 100 ms later.
told=$(echo "$s" | jq '[.requests[] | select(.path == "/a0.txt")][0].end_ms')
early=$(echo "$s" | jq --argjson t "$told" '[.requests[] |
	select((.path | startswith("/a")) and .t_ms > $t + 100 and
	.t_ms < $t + 1900)] | length')
is "429: no request to host A within the 2 s it was told" "$early" 0
last_b=$(echo "$s" | jq '[.requests[] | select(.path | startswith("/b"))
	| .t_ms] | max')
ok "429: all of host B served before host A's pause ended" \
	test "$last_b" -lt $((told + 1900))
is "429: host B four at a time (no worker held by host A)" "$(peak_of b)" 4
done_testing
