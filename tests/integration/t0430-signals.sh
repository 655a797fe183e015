#!/bin/sh
# SIGINT/SIGTERM during a slow download: a clean shutdown within 2 s (exit
# 130/143, NAME.part kept, no NAME, the report written with the job
# cancelled), then a rerun resumes with Range. A second signal exits at
# once even when the clean shutdown cannot finish.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
P2600=/cache/epub/2600/pg2600.txt
P1342=/cache/epub/1342/pg1342.txt
# The contract: exit within 2 s of the signal (more room under valgrind).
limit=$((2000 * T04_SCALE))

# Wait (bounded) until PID has exited; sets $took to the ms since $t0.
wait_exit() {
	wait_until $((10 * T04_SCALE)) sh -c "! kill -0 $1 2>/dev/null || \
		grep -q '^State:.*Z' /proc/$1/status"
	took=$(($(now_ms) - t0))
}

# ---- SIGINT: clean stop, then resume --------------------------------------
# 3.3 MB at 200 kB/s: about 17 s, far longer than the test waits.
server_rule "$P2600" "drip=200000" || BAIL_OUT "rule refused"
list_file "2600 War and Peace"
start_fp --mirror "$SERVER_URL" -o "$T/dl" --report "$T/r.json" \
	books "$T/list"
# Some of the body is on disk (the output buffer was flushed at least once).
wait_until $((20 * T04_SCALE)) test -s "$T/dl/pg2600.txt.part" ||
	diag "no .part appeared"
t0=$(now_ms)
fp_signal INT
wait_fp
took=$(($(now_ms) - t0))
diag "SIGINT -> exit $rc after $took ms"
is "SIGINT: exit 130" "$rc" 130
ok "SIGINT: exited within 2 s ($took ms)" test "$took" -le "$limit"
ok "SIGINT: pg2600.txt.part kept" test -s "$T/dl/pg2600.txt.part"
ok "SIGINT: no pg2600.txt" test ! -e "$T/dl/pg2600.txt"
ok "SIGINT: .part is a prefix of the book" is_prefix \
	"$T/dl/pg2600.txt.part" "$G/pg2600.txt"
ok "SIGINT: report written" test -s "$T/r.json"
is "SIGINT: report says cancelled" "$(job "$T/r.json" 2600 status)" cancelled
is "SIGINT: report totals" \
	"$(jq -r '.totals | "\(.ok) \(.failed) \(.cancelled)"' "$T/r.json")" \
	"0 0 1"
like "SIGINT: the summary says interrupted" "$(cat "$T/err")" \
	"^fetchpool: .*1 cancelled.*interrupted"
unlike "SIGINT: no 'exiting at once'" "$(cat "$T/err")" "at once"

part=$(file_size "$T/dl/pg2600.txt.part")
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dl" --report "$T/r.json" \
	books "$T/list"
server_stats >"$T/s.json"
is "rerun: exit 0" "$rc" 0
ok "rerun: pg2600.txt byte-identical" cmp "$T/dl/pg2600.txt" "$G/pg2600.txt"
ok "rerun: no .part left" test ! -e "$T/dl/pg2600.txt.part"
is "rerun: resumed with Range after the $part bytes kept" \
	"$(reqs "$T/s.json" "$P2600" .range)" "bytes=$part-"
like "rerun: guarded by If-Range with the ETag" \
	"$(reqs "$T/s.json" "$P2600" .if_range)" '^"[0-9a-f]+-[0-9a-f]+"$'
is "rerun: 206" "$(reqs "$T/s.json" "$P2600" .status)" 206

# ---- SIGTERM ------------------------------------------------------------
server_reset
server_rule "$P1342" "drip=100000" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
start_fp --mirror "$SERVER_URL" -o "$T/dl2" --report "$T/r2.json" \
	books "$T/list"
wait_until $((20 * T04_SCALE)) test -s "$T/dl2/pg1342.txt.part" ||
	diag "no .part appeared"
t0=$(now_ms)
fp_signal TERM
wait_fp
took=$(($(now_ms) - t0))
diag "SIGTERM -> exit $rc after $took ms"
is "SIGTERM: exit 143" "$rc" 143
ok "SIGTERM: exited within 2 s ($took ms)" test "$took" -le "$limit"
ok "SIGTERM: .part kept" is_prefix "$T/dl2/pg1342.txt.part" "$G/pg1342.txt"
ok "SIGTERM: no pg1342.txt" test ! -e "$T/dl2/pg1342.txt"
is "SIGTERM: report says cancelled" "$(job "$T/r2.json" 1342 status)" \
	cancelled

# ---- a second signal exits at once ------------------------------------
# Only a real exit_group() ends a thread blocked in write(): valgrind waits
# for that thread, and ThreadSanitizer's _exit() first flushes stdio, which
# waits for the stdout lock the blocked main thread holds.
if [ -n "${FP_WRAPPER-}" ]; then
	skip "second SIGINT" "under FP_WRAPPER a thread blocked in write() \
keeps the process"
	done_testing
fi
if grep -q __tsan_init "$FETCHPOOL"; then
	skip "second SIGINT" "ThreadSanitizer build: its _exit() flushes stdout"
	done_testing
fi
# Standard output is a pipe nobody reads: once it is full, the main thread
# blocks writing "Downloading ..." lines, so the clean shutdown after the
# first signal cannot finish, and only the second one ends the run. 600
# small downloads with long titles print about 250 kB, more than a pipe
# holds.
mkdir -p "$T/tiny"
printf 'tiny\n' >"$T/tiny/t.txt"
server_start --root "$T/tiny"
long=$(printf '%0180d' 0 | tr 0 x)
i=1
: >"$T/list"
while [ "$i" -le 600 ]; do
	printf '%s/t.txt Book %d %s\n' "$SERVER2_URL" "$i" "$long" >>"$T/list"
	i=$((i + 1))
done
mkfifo "$T/fifo"
exec 8<>"$T/fifo"
BG_STDOUT=$T/fifo bg_fp second --mirror "$SERVER_URL" -o "$T/dl3" -j 8 \
	--retries 0 books "$T/list"
# After 400 jobs, the lines of started jobs exceed what the pipe takes, so
# the main thread will block however the signals race with it.
enough() {
	[ "$(server_stats "$SERVER2_URL" | jq .total_requests)" -ge 400 ]
}
wait_until $((30 * T04_SCALE)) enough || diag "the jobs did not run"
fp_signal INT "$BG_PID"
pid=$(fp_child "$BG_PID")
# The signal thread has taken the first signal once nothing is pending.
wait_until $((10 * T04_SCALE)) \
	grep -q '^ShdPnd:[[:space:]]*0*$' "/proc/$pid/status"
ok "after one SIGINT the run is still stuck on its full stdout" alive "$pid"
t0=$(now_ms)
fp_signal INT "$BG_PID"
wait_exit "$pid"
if alive "$pid"; then
	kill -KILL "$pid"
fi
bg_wait
exec 8<&-
diag "second SIGINT -> exit $bg_rc after $took ms"
is "second SIGINT: exit 130" "$bg_rc" 130
ok "second SIGINT: exited at once ($took ms)" test "$took" -le "$limit"
like "second SIGINT: says so" "$(cat "$T/second.err")" \
	"^fetchpool: second SIGINT, exiting at once$"

done_testing
