#!/bin/sh
# Requests in flight at the server reach -j and never exceed it; each
# worker reuses its connection, so connections stay near -j.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

tree="$T/tree"
mkdir -p "$tree"
i=0
while [ $i -lt 16 ]; do
	printf 'file %d\n' $i >"$tree/f$i.txt"
	i=$((i + 1))
done
server_start --root "$tree" --latency 150
i=0
while [ $i -lt 16 ]; do
	echo "$SERVER_URL/f$i.txt"
	i=$((i + 1))
done >"$T/list"

for j in 4 2; do
	server_reset
	rm -rf "$T/dl"
	run_fp -j $j -q -o "$T/dl" "$T/list"
	is "-j $j: exit 0" "$rc" 0
	is "-j $j: 16 files" "$(ls "$T/dl" | grep -c '^f')" 16
	s=$(server_stats)
	is "-j $j: peak in flight equals -j" "$(echo "$s" | jq .peak_in_flight)" $j
	is "-j $j: 16 requests" "$(echo "$s" | jq '.requests | length')" 16
	conns=$(echo "$s" | jq .connections)
	ok "-j $j: connections reused ($conns for 16 files)" test "$conns" -le $((j + 1))
done
done_testing
