#!/bin/sh
# Transient HTTP failures are retried (503, 429 with Retry-After), permanent
# ones (404) are not, and one job's failure leaves the others alone.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
P1342=/cache/epub/1342/pg1342.txt

# ---- 503, 503, 200 next to a 404 ---------------------------------------
server_rule "$P1342" "503,503" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice" "99999 Missing Book" \
	"1661 Sherlock Holmes"
run_fp --mirror "$SERVER_URL" -o "$T/dl" --retries 3 --report "$T/r.json" \
	books "$T/list"
server_stats >"$T/s.json"
is "503,503,200 plus a 404: exit 1" "$rc" 1
ok "pg1342.txt byte-identical after two 503s" cmp "$T/dl/pg1342.txt" \
	"$G/pg1342.txt"
ok "pg1661.txt byte-identical" cmp "$T/dl/pg1661.txt" "$G/pg1661.txt"
ok "no pg99999.txt" test ! -e "$T/dl/pg99999.txt"
ok "no pg99999.txt.part" test ! -e "$T/dl/pg99999.txt.part"
ok "no pg1342.txt.part left" test ! -e "$T/dl/pg1342.txt.part"
is "report: 1342 ok" "$(job "$T/r.json" 1342 status)" ok
is "report: 1342 took 3 attempts" "$(job "$T/r.json" 1342 attempts)" 3
is "report: 1342 http_status 200" "$(job "$T/r.json" 1342 http_status)" 200
is "report: 1342 bytes" "$(job "$T/r.json" 1342 bytes)" \
	"$(file_size "$G/pg1342.txt")"
is "report: 99999 failed" "$(job "$T/r.json" 99999 status)" failed
# A missing book is asked for at its 4 places (cache/epub, files/ID-0,
# files/ID, the classic layout), once each: a 404 is never retried.
is "report: 99999 after 4 attempts, one per place" \
	"$(job "$T/r.json" 99999 attempts)" 4
is "report: 99999 http_status 404" "$(job "$T/r.json" 99999 http_status)" 404
like "report: 99999 error names status and URL" \
	"$(job "$T/r.json" 99999 error)" \
	"^HTTP 404 Not Found \($U/cache/epub/99999/pg99999\.txt, and 3 other URLs\)$"
is "report: 1661 ok in 1 attempt" \
	"$(job "$T/r.json" 1661 status) $(job "$T/r.json" 1661 attempts)" "ok 1"
is "report totals" \
	"$(jq -r '.totals | "\(.ok) \(.failed) \(.cancelled)"' "$T/r.json")" \
	"2 1 0"
like "stderr: the failure names the title, status and URL" "$(cat "$T/err")" \
	"^Failed downloading Missing Book: HTTP 404 Not Found \
\($U/cache/epub/99999/pg99999\.txt, and 3 other URLs\)$"
like "stdout: Pride finished" "$(cat "$T/out")" \
	"^Finished downloading Pride and Prejudice$"
like "stdout: Sherlock finished" "$(cat "$T/out")" \
	"^Finished downloading Sherlock Holmes$"
unlike "stdout: no failure lines" "$(cat "$T/out")" "^Failed"
is "server: 1342 answered 503, 503, 200" \
	"$(reqs "$T/s.json" "$P1342" .status | tr '\n' ' ')" "503 503 200 "
is "server: the 404 was asked once" \
	"$(reqs "$T/s.json" /cache/epub/99999/pg99999.txt .status)" 404

# ---- retries used up ---------------------------------------------------
server_reset
server_rule "$P1342" "503,503,503" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl2" --retries 2 --report "$T/r2.json" \
	books "$T/list"
server_stats >"$T/s2.json"
is "three 503s with --retries 2: exit 1" "$rc" 1
is "report: failed" "$(job "$T/r2.json" 1342 status)" failed
is "report: 3 attempts" "$(job "$T/r2.json" 1342 attempts)" 3
is "report: http_status 503" "$(job "$T/r2.json" 1342 http_status)" 503
like "report: error says why and how often" "$(job "$T/r2.json" 1342 error)" \
	"^HTTP 503 Service Unavailable after 3 attempts \($U$P1342\)$"
is "server: exactly 3 requests" \
	"$(reqs "$T/s2.json" "$P1342" .status | tr '\n' ' ')" "503 503 503 "
ok "no file" test ! -e "$T/dl2/pg1342.txt"

# ---- 429 with Retry-After: 1 -------------------------------------------
server_reset
server_rule "$P1342" "429+ra=1" || BAIL_OUT "rule refused"
run_fp --mirror "$SERVER_URL" -o "$T/dl3" --retries 1 -v \
	--report "$T/r3.json" books "$T/list"
server_stats >"$T/s3.json"
is "429 then 200: exit 0" "$rc" 0
ok "pg1342.txt byte-identical" cmp "$T/dl3/pg1342.txt" "$G/pg1342.txt"
is "report: 2 attempts" "$(job "$T/r3.json" 1342 attempts)" 2
like "-v announces the Retry-After wait" "$(cat "$T/err")" \
	"^retry $U$P1342 in 1\.0s: HTTP 429 Too Many Requests$"
gap=$(jq -r --arg p "$P1342" \
	'[.requests[] | select(.path == $p) | .t_ms] | .[1] - .[0]' \
	"$T/s3.json")
diag "429 -> next request after $gap ms"
ok "the retry came at least ~1 s after the 429 ($gap ms)" \
	test "$gap" -ge 900

# ---- 503 with Retry-After as an HTTP date ------------------------------
server_reset
server_rule "$P1342" "503+radate=2" || BAIL_OUT "rule refused"
run_fp --mirror "$SERVER_URL" -o "$T/dl4" --retries 1 -v books "$T/list"
server_stats >"$T/s4.json"
is "503 with a Retry-After date: exit 0" "$rc" 0
ok "pg1342.txt byte-identical" cmp "$T/dl4/pg1342.txt" "$G/pg1342.txt"
gap=$(jq -r --arg p "$P1342" \
	'[.requests[] | select(.path == $p) | .t_ms] | .[1] - .[0]' \
	"$T/s4.json")
diag "503 (Retry-After: date 2 s ahead) -> next request after $gap ms"
# The date has whole seconds: 2 s ahead means a wait of more than 1 s.
ok "the retry waited for the date ($gap ms)" test "$gap" -ge 900

done_testing
