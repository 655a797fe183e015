#!/bin/sh
# --fail-fast: the first permanent failure cancels the rest. --deadline:
# what is unfinished at the deadline is cancelled, also a job waiting to
# retry. Both report the cancelled jobs and exit 1.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
# Every other job is slow (tens of seconds), so none can finish before the
# cancellation reaches it; the bound only guards against a hang.
slow() {
	for p in 2600/pg2600 1342/pg1342 1661/pg1661 844/pg844; do
		server_rule "/cache/epub/$p.txt" "drip=50000" ||
			BAIL_OUT "rule refused"
	done
}
bound=$((10000 * T04_SCALE))

# ---- --fail-fast ------------------------------------------------------
slow
list_file "99999 Missing Book" "2600 War and Peace" \
	"1342 Pride and Prejudice" "1661 Sherlock Holmes" "844 Earnest"
t0=$(now_ms)
run_fp --mirror "$SERVER_URL" -o "$T/dl" -j 2 --fail-fast \
	--report "$T/r.json" books "$T/list"
took=$(($(now_ms) - t0))
diag "--fail-fast run took $took ms"
is "--fail-fast: exit 1" "$rc" 1
ok "--fail-fast: stopped early ($took ms)" test "$took" -lt "$bound"
is "--fail-fast: the 404 failed" "$(job "$T/r.json" 99999 status)" failed
is "--fail-fast: the rest cancelled" \
	"$(jq -r '[.jobs[] | select(.source != "99999") | .status] | unique
		| join(",")' "$T/r.json")" \
	cancelled
is "--fail-fast: every job reported" "$(jq '.jobs | length' "$T/r.json")" 5
is "--fail-fast: totals" \
	"$(jq -r '.totals | "\(.ok) \(.failed) \(.cancelled)"' "$T/r.json")" \
	"0 1 4"
like "--fail-fast: the failure is on stderr" "$(cat "$T/err")" \
	"^Failed downloading Missing Book: HTTP 404 Not Found"
like "--fail-fast: the summary says why it stopped" "$(cat "$T/err")" \
	"^fetchpool: 0 downloaded.* 1 failed, 4 cancelled.*fail-fast"
ok "--fail-fast: no finished file" sh -c "! ls '$T/dl'/*.txt"

# ---- --deadline -------------------------------------------------------
# One quick job finishes first; two slow ones are cut at the deadline, two
# more never start.
server_reset
slow
list_file "1080 Modest Proposal" "  priority=1" "2600 War and Peace" \
	"1342 Pride and Prejudice" "1661 Sherlock Holmes" "844 Earnest"
t0=$(now_ms)
run_fp --mirror "$SERVER_URL" -o "$T/dl2" -j 2 --deadline 1 \
	--report "$T/r2.json" books "$T/list"
took=$(($(now_ms) - t0))
diag "--deadline 1 run took $took ms"
is "--deadline: exit 1" "$rc" 1
ok "--deadline: ended soon after the deadline ($took ms)" \
	test "$took" -lt "$bound"
ok "--deadline: it did wait for the deadline ($took ms)" \
	test "$took" -ge 900
is "--deadline: the quick job finished" "$(job "$T/r2.json" 1080 status)" ok
ok "--deadline: pg1080.txt byte-identical" cmp "$T/dl2/pg1080.txt" \
	"$G/pg1080.txt"
is "--deadline: the unfinished jobs cancelled" \
	"$(jq -r '[.jobs[] | select(.source != "1080") | .status] | unique
		| join(",")' "$T/r2.json")" \
	cancelled
is "--deadline: totals" \
	"$(jq -r '.totals | "\(.ok) \(.failed) \(.cancelled)"' "$T/r2.json")" \
	"1 0 4"
like "--deadline: the summary says the deadline was reached" \
	"$(cat "$T/err")" "deadline"
for b in 2600 1342 1661 844; do
	ok "--deadline: no pg$b.txt" test ! -e "$T/dl2/pg$b.txt"
done
# The two that were running keep what they received, for the next run.
is "--deadline: .part files of the running jobs kept" \
	"$(set -- "$T/dl2"/*.part; echo $#)" 2

# ---- --deadline during a Retry-After wait ---------------------------
server_reset
server_rule /cache/epub/1342/pg1342.txt "503+ra=60" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
t0=$(now_ms)
run_fp --mirror "$SERVER_URL" -o "$T/dl3" --deadline 1 --retries 3 \
	--report "$T/r3.json" books "$T/list"
took=$(($(now_ms) - t0))
diag "--deadline 1 over a 60 s Retry-After took $took ms"
is "--deadline in a retry wait: exit 1" "$rc" 1
ok "--deadline in a retry wait: did not wait 60 s ($took ms)" \
	test "$took" -lt "$bound"
is "--deadline in a retry wait: cancelled" "$(job "$T/r3.json" 1342 status)" \
	cancelled
is "--deadline in a retry wait: after 1 attempt" \
	"$(job "$T/r3.json" 1342 attempts)" 1

done_testing
