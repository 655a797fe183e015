#!/bin/sh
# With -j 1 the server sees the requests in priority order, then file order.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

server_start --gutenberg "$FIXTURES/gutenberg"
cat >"$T/list" <<'LIST'
2600 A
844 B
  priority=5
1342 C
  priority=1
1661 D
120 E
  priority=1
1080 F
  priority=2
7256 G
  priority=5
LIST
run_fp --mirror "$SERVER_URL" -j 1 -o "$T/dl" -q "$T/list"
is "exit 0" "$rc" 0
order=$(server_stats | jq -r '[.requests[].path | capture("pg(?<id>[0-9]+)\\.txt").id] | join(" ")')
is "priority, then file order" "$order" "1342 120 1080 2600 1661 844 7256"
done_testing
