#!/bin/sh
# --delay: request starts to one host are spaced by at least the delay,
# however many workers are free; other hosts are not held back.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
server_start --root "$FIXTURES/tree"

# Four jobs on one host, four workers, 0.3 s apart.
list_file "1342 Pride and Prejudice" "1661 Sherlock Holmes" \
	"1080 Modest Proposal" "844 Earnest"
run_fp --mirror "$SERVER_URL" -o "$T/dl" -j 4 --delay 0.3 \
	--report "$T/r.json" books "$T/list"
server_stats >"$T/s.json"
is "--delay: exit 0" "$rc" 0
for b in 1342 1661 1080 844; do
	ok "--delay: pg$b.txt byte-identical" cmp "$T/dl/pg$b.txt" \
		"$G/pg$b.txt"
done
is "--delay: four requests" "$(jq '.requests | length' "$T/s.json")" 4
gaps=$(jq -r '[.requests[].t_ms] | sort | [range(1; length) as $i
	| .[$i] - .[$i - 1]] | map(tostring) | join(" ")' "$T/s.json")
diag "gaps between request arrivals (ms): $gaps"
# The gaps are measured at the server, after the client's send: allow
# 0.1 s of jitter on each. Without --delay they are all ~0.
min=$(printf '%s\n' $gaps | sort -n | head -n 1)
ok "--delay: every gap at least ~0.3 s (smallest $min ms)" \
	test "$min" -ge 200
span=$(jq -r '[.requests[].t_ms] | max - min' "$T/s.json")
ok "--delay: first to last at least ~0.9 s ($span ms)" test "$span" -ge 800

# A retry to the host waits for its slot too.
server_reset
server_rule /cache/epub/1342/pg1342.txt "503+ra=0" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl2" --delay 0.5 --retries 1 books \
	"$T/list"
server_stats >"$T/s2.json"
is "--delay with a retry: exit 0" "$rc" 0
gap=$(jq -r '[.requests[].t_ms] | .[1] - .[0]' "$T/s2.json")
ok "--delay with a retry: the retry waited for the host's slot ($gap ms)" \
	test "$gap" -ge 400

# The delay is per host. One worker runs the jobs in order: host 1's
# second job waits 2 s for its slot, then the job on the other host starts
# at once (a gate for all hosts would make it wait another 2 s).
server_reset
list_file "1342 Pride and Prejudice" "1661 Sherlock Holmes" \
	"$SERVER2_URL/hello.txt Hello"
run_fp --mirror "$SERVER_URL" -o "$T/dl3" -j 1 --delay 2 \
	--report "$T/r3.json" books "$T/list"
is "two hosts: exit 0" "$rc" 0
t1=$(server_stats | jq '[.requests[].t_ms] | sort | .[1] - .[0]')
ok "two hosts: host 1 spaced by 2 s ($t1 ms)" test "$t1" -ge 1900
ok "two hosts: hello.txt byte-identical" cmp "$T/dl3/hello.txt" \
	"$FIXTURES/tree/hello.txt"
h=$(jq -r '.jobs[] | select(.title == "Hello") | .elapsed_ms' "$T/r3.json")
ok "two hosts: the other host's job did not wait ($h ms)" test "$h" -lt 1000

done_testing
