#!/bin/sh
# Fixture server, statistics and lifetime: /_stats fields, connection
# numbering, peak in flight under --latency, /_reset, 64 parallel
# connections, and a clean stop with requests still running.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd curl jq

# elapsed_ms CMD...: run CMD (output discarded), print its wall time in ms.
elapsed_ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

mkdir "$T/root"
seq 1 300000 >"$T/root/m.txt" # about 2 MB
printf 'small\n' >"$T/root/s.txt"
server_start --root "$T/root"
U=$SERVER_URL

# ---- empty at start; control requests are not recorded ----
server_stats >"$T/st"
is "no requests yet" "$(jq '.requests | length' "$T/st")" 0
is "no connections yet" "$(jq .connections "$T/st")" 0
is "nothing in flight" "$(jq '[.in_flight, .peak_in_flight] | join(",")' -r "$T/st")" "0,0"
server_rule /x ok
server_stats >"$T/st"
is "control requests are not recorded" "$(jq '.requests | length' "$T/st")" 0
is "control connections are not counted" "$(jq .connections "$T/st")" 0
ok "but accepted ones are" test "$(jq .accepted "$T/st")" -ge 3

# ---- the fields of a request ----
curl -sS -o /dev/null -A 'probe/1.0' -r 2- -H 'If-Range: "abc"' \
	-H 'If-None-Match: "x"' -H 'If-Modified-Since: Thu, 02 Jan 2020 03:04:05 GMT' \
	"$U/s.txt?a=1&b=%20"
server_stats >"$T/st"
is "one request" "$(jq '.requests | length' "$T/st")" 1
is "method" "$(jq -r '.requests[0].method' "$T/st")" GET
is "path" "$(jq -r '.requests[0].path' "$T/st")" /s.txt
is "query as sent" "$(jq -r '.requests[0].query' "$T/st")" 'a=1&b=%20'
is "range" "$(jq -r '.requests[0].range' "$T/st")" 'bytes=2-'
is "if_range" "$(jq -r '.requests[0].if_range' "$T/st")" '"abc"'
is "if_none_match" "$(jq -r '.requests[0].if_none_match' "$T/st")" '"x"'
is "if_modified_since" "$(jq -r '.requests[0].if_modified_since' "$T/st")" \
	'Thu, 02 Jan 2020 03:04:05 GMT'
is "user_agent" "$(jq -r '.requests[0].user_agent' "$T/st")" probe/1.0
is "status: 200 (the If-None-Match did not match; If-Range did not either)" \
	"$(jq '.requests[0].status' "$T/st")" 200
is "conn" "$(jq '.requests[0].conn' "$T/st")" 1
ok "t_ms <= end_ms" jq -e '.requests[0].t_ms <= .requests[0].end_ms' "$T/st"

curl -sS -o /dev/null -I "$U/s.txt"
curl -sS -o /dev/null "$U/nope"
server_stats >"$T/st"
is "absent headers are null" \
	"$(jq -c '.requests[1] | [.query, .range, .if_range, .if_modified_since, .if_none_match]' "$T/st")" \
	'[null,null,null,null,null]'
is "HEAD is logged as HEAD" "$(jq -r '.requests[1].method' "$T/st")" HEAD
is "a 404 is logged as 404" "$(jq '.requests[2].status' "$T/st")" 404
is "arrival order" "$(jq -r '[.requests[].path] | join(" ")' "$T/st")" \
	"/s.txt /s.txt /nope"

# ---- connection numbering: keep-alive reuse vs new connections ----
server_reset
curl -sS -o /dev/null -o /dev/null -o /dev/null "$U/s.txt" "$U/m.txt" "$U/s.txt"
curl -sS -o /dev/null "$U/s.txt"
server_stats >"$T/st"
is "reset cleared the log" "$(jq '.requests | length' "$T/st")" 4
is "three requests on one kept-alive connection, then a new one" \
	"$(jq -r '[.requests[].conn] | join(",")' "$T/st")" "1,1,1,2"
is "connections" "$(jq .connections "$T/st")" 2
is "total_requests" "$(jq .total_requests "$T/st")" 4
ok "reset request status 0" server_rule /s.txt reset
curl -s -o /dev/null "$U/s.txt"
is "a reset request is logged with status 0" \
	"$(server_stats | jq '.requests[-1].status')" 0

# ---- peak in flight with --latency ----
server_start --root "$T/root" --latency 2500
L=$SERVER2_URL
ms=$(elapsed_ms curl -sS -o "$T/b" "$L/s.txt")
ok "--latency 2500: a request takes at least 2500 ms ($ms)" test "$ms" -ge 2500
is "and is answered normally" "$(cat "$T/b")" small
ms=$(elapsed_ms curl -sS "$L/_stats")
ok "control paths are not delayed ($ms ms)" test "$ms" -lt 2500
server_reset "$L"
i=0
pids=
while [ "$i" -lt 6 ]; do
	curl -sS -o "$T/p.$i" "$L/m.txt" &
	pids="$pids $!"
	i=$((i + 1))
done
ok "in flight while they wait" \
	wait_until 10 sh -c "curl -s '$L/_stats' | jq -e '.in_flight == 6'"
# shellcheck disable=SC2086
wait $pids
server_stats "$L" >"$T/st"
is "peak_in_flight: 6 parallel requests" "$(jq .peak_in_flight "$T/st")" 6
is "in_flight back to 0" "$(jq .in_flight "$T/st")" 0
is "6 connections" "$(jq .connections "$T/st")" 6
is "6 distinct conn numbers" "$(jq '[.requests[].conn] | unique | length' "$T/st")" 6
is "all 6 bodies complete" \
	"$(cat "$T"/p.* | sha256sum | cut -c1-64)" \
	"$(i=0; while [ $i -lt 6 ]; do cat "$T/root/m.txt"; i=$((i + 1)); done | sha256sum | cut -c1-64)"
server_reset "$L"
is "reset: peak restarts" "$(server_stats "$L" | jq -c '[.peak_in_flight, .connections]')" "[0,0]"
server_stop 2

# ---- 64 parallel connections, 2 MB each ----
server_reset
i=0
pids=
while [ "$i" -lt 64 ]; do
	curl -sS -o "$T/q.$i" "$U/m.txt" &
	pids="$pids $!"
	i=$((i + 1))
done
# shellcheck disable=SC2086
wait $pids
want=$(sha256_of "$T/root/m.txt")
bad=0
i=0
while [ "$i" -lt 64 ]; do
	[ "$(sha256_of "$T/q.$i")" = "$want" ] || bad=$((bad + 1))
	i=$((i + 1))
done
is "64 parallel downloads, all complete" "$bad" 0
server_stats >"$T/st"
is "64 requests logged" "$(jq '.requests | length' "$T/st")" 64
is "all 200" "$(jq '[.requests[] | select(.status == 200)] | length' "$T/st")" 64
is "nothing left in flight" "$(jq .in_flight "$T/st")" 0
rm -f "$T"/q.*

# ---- a clean stop with requests still running ----
server_start --root "$T/root" --latency 60000
server_start --root "$T/root" --rule '/m.txt stall=60000' \
	--rule '/s.txt endless'
curl -s -o /dev/null --max-time 90 "$SERVER3_URL/s.txt" &
c1=$!
curl -s -o /dev/null --max-time 90 "$SERVER4_URL/m.txt" &
c2=$!
curl -s -o /dev/null --max-time 90 "$SERVER4_URL/s.txt" &
c3=$!
ok "requests waiting in latency, a stall, an endless body" \
	wait_until 10 sh -c "curl -s '$SERVER3_URL/_stats' | jq -e '.in_flight == 1' &&
		curl -s '$SERVER4_URL/_stats' | jq -e '.in_flight == 2'"
# server_stop runs in this shell (it waits for its child and reports a
# server that does not exit 0 as a failed test).
t0=$(date +%s%N)
server_stop 3
ms=$((($(date +%s%N) - t0) / 1000000))
ok "SIGTERM ends a 60 s latency at once ($ms ms)" test "$ms" -lt 5000
t0=$(date +%s%N)
server_stop 4 INT
ms=$((($(date +%s%N) - t0) / 1000000))
ok "SIGINT ends a stall and an endless body at once ($ms ms)" test "$ms" -lt 5000
# shellcheck disable=SC2086
wait $c1 $c2 $c3

done_testing
