#!/bin/sh
# --limit-rate is one budget for the whole run, shared by every transfer,
# measured at the server (fixture-server --meter counts body bytes per
# 100 ms as they go out, through a small send buffer): from 1 s after the
# first request to the last byte the average is at most 1.1 x RATE, and
# the run takes at least 0.85 x B / RATE. A per-transfer limit would give
# -j x RATE and fail both. Also: a cancel (SIGINT) still stops a limited
# run at once, waiting for the budget is not a stall, and bad values
# are usage errors. The rate bounds are the contract; other times are
# hang guards.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

mkdir "$T/www"
# Four files of different sizes, so that at the end one transfer is left
# alone with the whole budget.
n=1
for kb in 300 200 400 100; do
	head -c $((kb * 1000)) /dev/urandom >"$T/www/f$n.bin"
	n=$((n + 1))
done
server_start --root "$T/www" --meter
: >"$T/list"
for f in f1 f2 f3 f4; do
	printf '%s\n' "$SERVER_URL/$f.bin" >>"$T/list"
done
B=1000000
RATE=204800 # 200K

# ---- the bounds, at the server -------------------------------------------------
run_fp -j 4 --limit-rate 200K -o "$T/dl" books "$T/list"
is "exit 0" "$rc" 0
for f in f1 f2 f3 f4; do
	ok "$f whole" cmp "$T/www/$f.bin" "$T/dl/$f.bin"
done
server_stats >"$T/stats.json"
# From the first 100 ms bucket that starts 1 s after the first request to
# the end of the last response: bytes sent, and the window's length.
jq -r '.sent_100ms as $s
	| ([.requests[].t_ms] | min) as $t0
	| ([.requests[].end_ms] | max) as $t1
	| ((($t0 + 1000 + 99) / 100) | floor) as $b0
	| [$t0, $t1, ($t1 - $b0 * 100),
	   ([range($b0; $s | length)] | map($s[.]) | add // 0),
	   ($s | add)] | @tsv' "$T/stats.json" >"$T/m"
read -r t0 t1 win after total <"$T/m"
run_ms=$((t1 - t0))
avg=$((after * 1000 / (win > 0 ? win : 1)))
diag "measured: $total bytes, first request to last byte $run_ms ms;" \
	"after the first second $after bytes in $win ms = $avg B/s" \
	"(RATE $RATE B/s, bound $((RATE * 11 / 10)); run bound $((B * 85 / 100 * 1000 / RATE)) ms)"
is "the server sent every byte" "$total" "$B"
ok "average after the first second <= 1.1 x RATE ($avg B/s)" \
	test "$avg" -le $((RATE * 11 / 10))
ok "the run took >= 0.85 x B / RATE ($run_ms ms)" \
	test "$run_ms" -ge $((B * 85 / 100 * 1000 / RATE))
ok "  the window is long enough to mean something ($win ms)" \
	test "$win" -ge 2000

# ---- a cancel is not held up by the budget --------------------------------------
# 1K for the run and -j 4: each transfer waits about 4 s between reads.
server_reset
start_fp -j 4 --limit-rate 1K -o "$T/dlc" books "$T/list"
wait_until $((10 * T04_SCALE)) test -e "$T/dlc/f1.bin.part" ||
	diag "no .part yet"
sleep 1
t_sig=$(now_ms)
fp_signal INT
wait_fp
took=$(($(now_ms) - t_sig))
is "SIGINT during a limited run: exit 130" "$rc" 130
ok "  within 2 s ($took ms)" test "$took" -lt $((2000 * T04_SCALE))
like "  the jobs are cancelled" "$(cat "$T/err")" 'cancelled'

# ---- waiting for the budget is not a stall -----------------------------------------
# 4K for -j 4: a read of 1 KiB each second per transfer, far over the
# 0.5 s stall limit, yet nothing stalls.
mkdir "$T/small"
: >"$T/list2"
for f in s1 s2 s3 s4; do
	head -c 3000 /dev/urandom >"$T/www/$f.bin"
	printf '%s\n' "$SERVER_URL/$f.bin" >>"$T/list2"
done
server_reset
run_fp -v -j 4 --limit-rate 4K --stall-timeout 0.5 --retries 0 \
	-o "$T/dls" books "$T/list2"
is "--stall-timeout 0.5 under a 4K budget: exit 0" "$rc" 0
unlike "  no attempt stalled" "$(cat "$T/err")" 'stalled'
is "  one request per file" "$(server_stats | jq '.total_requests')" 4

# ---- bad values ----------------------------------------------------------------
for bad in 0 -5 1000 abc 5X 2000G; do
	run_fp -o "$T/dlb" --limit-rate "$bad" books "$T/list"
	is "--limit-rate $bad: exit 2" "$rc" 2
	like "  names the option and the range" "$(cat "$T/err")" \
		"^fetchpool: --limit-rate: expected a size 1K\.\.1024G"
done
done_testing
