#!/bin/sh
# -v: one line per attempt on stderr with method, URL, status, attempt N/M
# and libcurl's timings (DNS, connect, TLS, first byte, total) and bytes;
# before a retry, its wait and reason. Without -v, none of it.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

server_start --gutenberg "$FIXTURES/gutenberg" --worldbank "$FIXTURES/worldbank"
M=$SERVER_URL
P1342=/cache/epub/1342/pg1342.txt
P1661=/cache/epub/1661/pg1661.txt
size=$(file_size "$FIXTURES/gutenberg/pg1342.txt")
T5='dns [0-9]+\.[0-9]{3}s connect [0-9]+\.[0-9]{3}s tls [0-9]+\.[0-9]{3}s first-byte [0-9]+\.[0-9]{3}s total [0-9]+\.[0-9]{3}s'

printf '1342\n' >"$T/list"
run_fp --mirror "$M" -o "$T/dl" -v "$T/list"
is "-v: exit 0" "$rc" 0
err=$(cat "$T/err")
like "-v: the text request, status, attempt, timings, bytes" "$err" \
	"^GET $M$P1342 -> 200 OK, attempt 1/4: $T5, $size bytes\$"
like "-v: the RDF request for the title" "$err" \
	"^GET $M/cache/epub/1342/pg1342\.rdf -> 200 OK, attempt 1/4: $T5, [0-9]+ bytes\$"
unlike "-v: no retry" "$err" '^retry '
unlike "-v: nothing on stdout" "$(cat "$T/out")" '^GET '

run_fp --mirror "$M" -o "$T/dl" -v --retries 2 "$T/list"
like "-v: a conditional rerun answers 304" "$(cat "$T/err")" \
	"^GET $M$P1342 -> 304 Not Modified, attempt 1/3: $T5, 0 bytes\$"

# Retries: a reset (on a fresh connection, which libcurl does not retry on
# its own), a 503 with Retry-After: 1 (honoured exactly, so the wait shown
# is 1.0 s, never 0.0 s), then the file.
printf '1661 Sherlock\n' >"$T/list2"
server_rule "$P1661" 'reset,503+ra=1,ok'
run_fp --mirror "$M" -o "$T/dl" -v --retries 2 "$T/list2"
is "-v retries: exit 0" "$rc" 0
grep -E "^(GET|retry) " "$T/err" >"$T/lines"
like "-v retries: the 503 attempt" "$(cat "$T/lines")" \
	"^GET $M$P1661 -> 503 Service Unavailable, attempt 2/3: $T5, 0 bytes\$"
like "-v retries: the wait and reason for the 503" "$(cat "$T/lines")" \
	"^retry $M$P1661 in 1\.0s: HTTP 503 Service Unavailable\$"
like "-v retries: the reset, no answer, with its cause" "$(cat "$T/lines")" \
	"^GET $M$P1661 -> no answer, attempt 1/3: $T5, 0 bytes \(.+\)\$"
like "-v retries: the wait and reason for the reset" "$(cat "$T/lines")" \
	"^retry $M$P1661 in [0-9]+\.[0-9]s: .+"
like "-v retries: the last attempt succeeds" "$(cat "$T/lines")" \
	"^GET $M$P1661 -> 200 OK, attempt 3/3: $T5, [0-9]+ bytes\$"
is "-v retries: in order" \
	"$(sed -E -n 's/^GET .* attempt ([0-9])\/3.*/a\1/p; s/^retry .*/r/p' "$T/lines" | tr -d '\n')" \
	a1ra2ra3

# A permanent failure: one attempt, no retry line.
printf '%s/no/such.txt\n' "$M" >"$T/list3"
run_fp --mirror "$M" -o "$T/dl" -v "$T/list3"
is "-v 404: exit 1" "$rc" 1
like "-v 404: the attempt" "$(cat "$T/err")" \
	"^GET $M/no/such\.txt -> 404 Not Found, attempt 1/4: $T5, 0 bytes\$"
unlike "-v 404: no retry" "$(cat "$T/err")" '^retry '

# gdp requests are traced too.
run_fp --api-url "$M/v2" -v gdp --year 2019 AFG
is "-v gdp: exit 0" "$rc" 0
like "-v gdp: the country's request" "$(cat "$T/err")" \
	"^GET $M/v2/country/AFG/indicator/NY\.GDP\.MKTP\.CD\?.* -> 200 OK, attempt 1/4: $T5"
like "-v gdp: the country list's request" "$(cat "$T/err")" \
	"^GET $M/v2/country\?.* -> 200 OK, attempt 1/4: "

# Without -v: none of it.
rm -rf "$T/dl"
server_rule "$P1661" '503,ok'
run_fp --mirror "$M" -o "$T/dl" --retries 2 "$T/list2"
is "no -v: exit 0" "$rc" 0
unlike "no -v: no request lines" "$(cat "$T/err")" '^(GET|retry) '

done_testing
