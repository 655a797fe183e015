#!/bin/sh
# --delay: request starts to one host are spaced by at least the delay,
# however many workers are free; other hosts are not held back.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
server_start --root "$FIXTURES/tree"
# The server sees arrivals, which trail the client's starts by a latency
# that varies: the first request on a new connection is slower (by 0.15 s
# under ThreadSanitizer, more under valgrind). TOL allows for it; under a
# wrapper the delays grow so that TOL stays well below them.
# TOL is half of the smallest delay: a build without the delay gives gaps
# of a few ms, far below D - TOL, and a loaded machine has room.
if [ "$T04_SCALE" -gt 1 ]; then
	D1=1000 D2=1500 D3=3000 TOL=500
else
	D1=400 D2=600 D3=2000 TOL=200
fi
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }

# Four jobs on one host, four workers, D1 apart.
list_file "1342 Pride and Prejudice" "1661 Sherlock Holmes" \
	"1080 Modest Proposal" "844 Earnest"
run_fp --mirror "$SERVER_URL" -o "$T/dl" -j 4 --delay "$(secs $D1)" \
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
# Request k arrives at least (k-1) x D1 after the first, less TOL, and no
# two arrive together. Without --delay all four arrive within a few ms.
late=$(jq -r --argjson d "$D1" --argjson tol "$TOL" '[.requests[].t_ms]
	| sort | . as $t
	| [range(1; length) | select($t[.] - $t[0] < . * $d - $tol)] | length' \
	"$T/s.json")
is "--delay: request k starts >= (k-1) x $D1 ms after the first" "$late" 0
# shellcheck disable=SC2086 # one gap per line
min=$(printf '%s\n' $gaps | sort -n | head -n 1)
ok "--delay: no two requests together (smallest gap $min ms)" \
	test "$min" -ge $((D1 - TOL))

# A retry to the host waits for its slot too.
server_reset
server_rule /cache/epub/1342/pg1342.txt "503+ra=0" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl2" --delay "$(secs $D2)" --retries 1 \
	books "$T/list"
server_stats >"$T/s2.json"
is "--delay with a retry: exit 0" "$rc" 0
gap=$(jq -r '[.requests[].t_ms] | .[1] - .[0]' "$T/s2.json")
ok "--delay with a retry: the retry waited for the host's slot ($gap ms)" \
	test "$gap" -ge $((D2 - TOL))

# The delay is per host. Host 1's second job waits D3 for its turn,
# holding no request slot, so the job on the other host goes meanwhile (a
# gate for all hosts would make it wait another D3). The other host is
# "localhost" on the same server, so one clock (t_ms) times all three
# arrivals: the last one comes less than 1.5 x D3 after the first.
server_reset
list_file "1342 Pride and Prejudice" "1661 Sherlock Holmes" \
	"http://localhost:$SERVER_PORT/cache/epub/1080/pg1080.txt Modest" \
	"$SERVER2_URL/hello.txt Hello"
run_fp --mirror "$SERVER_URL" -o "$T/dl3" -j 1 --delay "$(secs $D3)" \
	--report "$T/r3.json" books "$T/list"
is "two hosts: exit 0" "$rc" 0
t1=$(server_stats | jq '[.requests[] | select(.path | test("pg(1342|1661)"))
	| .t_ms] | sort | .[1] - .[0]')
ok "two hosts: host 1 spaced by $D3 ms ($t1 ms)" test "$t1" -ge $((D3 - TOL))
ok "two hosts: hello.txt byte-identical" cmp "$T/dl3/hello.txt" \
	"$FIXTURES/tree/hello.txt"
ok "two hosts: pg1080.txt (via localhost) byte-identical" cmp "$T/dl3/pg1080.txt" \
	"$G/pg1080.txt"
span=$(server_stats | jq '[.requests[].t_ms] | max - min')
is "two hosts: three requests at server 1" "$(server_stats | jq '.requests | length')" 3
ok "two hosts: the other host's job did not wait for host 1 (span $span ms < $((D3 * 3 / 2)))" \
	test "$span" -lt $((D3 * 3 / 2))
other=$(server_stats | jq '[.requests[] | select(.path | test("pg1080"))][0].t_ms
	- ([.requests[].t_ms] | min)')
ok "two hosts: the other host's job went while host 1 waited ($other ms)" \
	test "$other" -lt $((D3 - TOL))

done_testing
