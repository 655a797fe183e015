#!/bin/sh
# Two runs on one output directory: the second exits 3 at once, naming the
# lock, and fetches nothing; the lock goes with its run, even a killed one.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
P2600=/cache/epub/2600/pg2600.txt
# Hang guard for "at once": the first run would hold the lock ~17 s more.
bound=$((5000 * T04_SCALE))

server_rule "$P2600" "drip=200000" || BAIL_OUT "rule refused"
list_file "2600 War and Peace"
bg_fp first --mirror "$SERVER_URL" -o "$T/dl" books "$T/list"
# The first run holds the lock once its transfer has begun.
wait_until $((20 * T04_SCALE)) test -s "$T/dl/pg2600.txt.part" ||
	diag "the first run did not start"

t0=$(now_ms)
run_fp --mirror "$SERVER_URL" -o "$T/dl" --report "$T/r.json" books "$T/list"
took=$(($(now_ms) - t0))
diag "second run: exit $rc after $took ms"
is "second run: exit 3" "$rc" 3
ok "second run: exits at once ($took ms)" test "$took" -lt "$bound"
like "second run: names the lock and its holder" "$(cat "$T/err")" \
	"^fetchpool: '$T/dl/\.fetchpool\.lock' is held by another run \
\(process [0-9]+\)$"
is "second run: one line on stderr" "$(wc -l <"$T/err" | tr -d ' ')" 1
is "second run: nothing on stdout" "$(cat "$T/out")" ""
is "second run: no request reached the server" \
	"$(server_stats | jq '.requests | length')" 1
ok "second run: no report" test ! -e "$T/r.json"
ok "second run: the first run's .part is still being written" \
	test -s "$T/dl/pg2600.txt.part"

fp_signal INT "$BG_PID"
bg_wait
is "first run: stopped by SIGINT" "$bg_rc" 130

# ---- a killed run leaves the lock file, not the lock ------------------
server_reset
server_rule "$P2600" "drip=200000" || BAIL_OUT "rule refused"
bg_fp killed --mirror "$SERVER_URL" -o "$T/dl" books "$T/list"
wait_until $((20 * T04_SCALE)) sh -c \
	"[ \$(curl -sS '$SERVER_URL/_stats' | jq .total_requests) -ge 1 ]"
fp_signal KILL "$BG_PID"
bg_wait
ok "the lock file stays after SIGKILL" test -e "$T/dl/.fetchpool.lock"
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dl" books "$T/list"
is "the next run is not locked out: exit 0" "$rc" 0
ok "and finishes the book" cmp "$T/dl/pg2600.txt" "$G/pg2600.txt"

done_testing
