#!/bin/sh
# --stall-timeout: an attempt that receives nothing for that long is
# aborted and retried (resuming what it got), whether the silence comes
# in the middle of the body or before any answer at all.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
P2600=/cache/epub/2600/pg2600.txt
P1342=/cache/epub/1342/pg1342.txt
# The server's silences (15 s) are far longer than the stall timeout (1 s):
# a run that ends well before them proves the abort. The bound is only a
# guard, with room for slow machines and wrappers.
bound=$((10000 * T04_SCALE))

# ---- silence in the middle of the body ---------------------------------
server_rule "$P2600" "stall=15000" || BAIL_OUT "rule refused"
list_file "2600 War and Peace"
t0=$(now_ms)
run_fp --mirror "$SERVER_URL" -o "$T/dl" --stall-timeout 1 --retries 2 -v \
	--report "$T/r.json" books "$T/list"
took=$(($(now_ms) - t0))
server_stats >"$T/s.json"
diag "stall in the body: run took $took ms"
is "stalled body: exit 0" "$rc" 0
ok "aborted long before the server's 15 s silence ended" \
	test "$took" -lt "$bound"
ok "pg2600.txt byte-identical" cmp "$T/dl/pg2600.txt" "$G/pg2600.txt"
ok "no .part left" test ! -e "$T/dl/pg2600.txt.part"
is "report: ok in 2 attempts" \
	"$(job "$T/r.json" 2600 status) $(job "$T/r.json" 2600 attempts)" "ok 2"
like "-v names the stall as the reason to retry" "$(cat "$T/err")" \
	"^retry $U$P2600 in [0-9.]+s: stalled: nothing received for 1\.0 s$"
# The server sends 1024 bytes before its silence; they are kept.
is "the retry resumes after the bytes received" \
	"$(reqs "$T/s.json" "$P2600" '.range // "-"' | tr '\n' ' ')" \
	"- bytes=1024- "
is "the resume is guarded by If-Range" \
	"$(reqs "$T/s.json" "$P2600" '.if_range != null' | tr '\n' ' ')" \
	"false true "

# ---- silence before any answer -----------------------------------------
server_reset
server_rule "$P1342" "delay=15000" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
t0=$(now_ms)
run_fp --mirror "$SERVER_URL" -o "$T/dl2" --stall-timeout 1 --retries 1 \
	--report "$T/r2.json" books "$T/list"
took=$(($(now_ms) - t0))
server_stats >"$T/s2.json"
diag "silent server: run took $took ms"
is "no answer at all: exit 0" "$rc" 0
ok "aborted long before the server's 15 s delay ended" \
	test "$took" -lt "$bound"
ok "pg1342.txt byte-identical" cmp "$T/dl2/pg1342.txt" "$G/pg1342.txt"
is "report: ok in 2 attempts" \
	"$(job "$T/r2.json" 1342 status) $(job "$T/r2.json" 1342 attempts)" "ok 2"
is "server: two requests, neither with a range" \
	"$(reqs "$T/s2.json" "$P1342" '.range // "-"' | tr '\n' ' ')" "- - "

# ---- out of retries: failed, the prefix kept -------------------------
server_reset
server_rule "$P2600" "stall=15000" || BAIL_OUT "rule refused"
list_file "2600 War and Peace"
t0=$(now_ms)
run_fp --mirror "$SERVER_URL" -o "$T/dl3" --stall-timeout 1 --retries 0 \
	--report "$T/r3.json" books "$T/list"
took=$(($(now_ms) - t0))
is "stalled with --retries 0: exit 1" "$rc" 1
ok "aborted long before the server's silence ended" test "$took" -lt "$bound"
is "report: failed" "$(job "$T/r3.json" 2600 status)" failed
like "report: the error says it stalled" "$(job "$T/r3.json" 2600 error)" \
	"^stalled: nothing received for 1\.0 s after 1 attempt \($U$P2600\)$"
like "stderr: the failure line says it stalled" "$(cat "$T/err")" \
	"^Failed downloading War and Peace: stalled"
ok "no pg2600.txt" test ! -e "$T/dl3/pg2600.txt"
is ".part keeps the 1024 bytes received" \
	"$(file_size "$T/dl3/pg2600.txt.part")" 1024
ok ".part is a prefix of the book" is_prefix "$T/dl3/pg2600.txt.part" \
	"$G/pg2600.txt"

done_testing
