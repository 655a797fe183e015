#!/bin/sh
# Backoff seen from the server: the arrival times of
# the attempts (t_ms in /_stats) show the waits. Retry-After is honoured
# exactly, so it gives a hard lower bound; plain full-jitter backoff has a
# lower bound of 0 per wait, so only the sum of several is checked against
# a bound a correct run misses with a chance of about 1e-6. Upper bounds
# only catch hangs.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

mkdir "$T/www"
printf 'payload\n' >"$T/www/a.txt"
server_start --root "$T/www"
list_file "$SERVER_URL/a.txt"
# gaps STATS PATH: the gaps in ms between successive arrivals, one a line
gaps() {
	reqs "$1" "$2" .t_ms | awk 'NR > 1 { print $1 - prev } { prev = $1 }'
}
# check_gaps DESC STATS N MIN: N gaps for /a.txt, each >= MIN ms and below
# a hang bound
check_gaps() {
	local g
	g=$(gaps "$2" /a.txt | tr '\n' ' ')
	if printf '%s\n' $g | awk -v n="$3" -v m="$4" -v h=$((30000 * T04_SCALE)) \
		'NF { c++; if ($1 < m || $1 > h) bad = 1 } END { exit !(c == n && !bad) }'
	then
		pass "$1 (gaps: $g)"
	else
		fail "$1"
		diag "gaps in ms: '$g', expected $3 of them, each >= $4"
	fi
}

# ---- Retry-After: 1 (seconds) --------------------------------------------
server_rule /a.txt "503+ra=1,503+ra=1" || BAIL_OUT "rule refused"
run_fp -o "$T/dl" --retries 2 -v --report "$T/r.json" books "$T/list"
server_stats >"$T/s.json"
is "Retry-After: 1 twice: exit 0" "$rc" 0
is "  three attempts: 503, 503, 200" \
	"$(reqs "$T/s.json" /a.txt .status | tr '\n' ' ')" "503 503 200 "
check_gaps "  each gap between attempts >= 900 ms" "$T/s.json" 2 900
like "  -v shows the 1 s wait" "$(cat "$T/err")" \
	"^retry $U/a\.txt in 1\.0s: HTTP 503 Service Unavailable\$"
unlike "  -v never shows a zero wait for it" "$(cat "$T/err")" \
	"^retry $U/a\.txt in 0\.0s"

# ---- Retry-After as an HTTP date 2 s ahead ---------------------------------
# Dates have whole seconds: the wait is at least 1 s.
server_reset
server_rule /a.txt "503+radate=2" || BAIL_OUT "rule refused"
run_fp -o "$T/dl2" --retries 1 books "$T/list"
server_stats >"$T/s2.json"
is "Retry-After: HTTP date: exit 0" "$rc" 0
check_gaps "  the gap is >= 900 ms" "$T/s2.json" 1 900

# ---- plain backoff: full jitter, base 0.5 s ----------------------------------
# Three waits, uniform in [0, 0.5], [0, 1], [0, 2] s: their sum is under
# 20 ms with a chance of 0.02^3 / 6 ~ 1.3e-6. Each stays under its ceiling
# (plus a generous allowance for a loaded machine).
server_reset
server_rule /a.txt "503,503,503" || BAIL_OUT "rule refused"
run_fp -o "$T/dl3" --retries 3 -v books "$T/list"
server_stats >"$T/s3.json"
is "plain 503 three times: exit 0" "$rc" 0
is "  four attempts" "$(reqs "$T/s3.json" /a.txt .status | tr '\n' ' ')" \
	"503 503 503 200 "
sum=$(gaps "$T/s3.json" /a.txt | awk '{ s += $1 } END { print s + 0 }')
ok "  the waits add up to >= 20 ms (got $sum ms)" test "$sum" -ge 20
ok "  and to less than the ceilings (3.5 s) + a hang allowance" \
	test "$sum" -le $((3500 + 20000 * T04_SCALE))
# -v: waits are shown; at least one of three is non-zero at 0.1 s
# resolution (all three under 50 ms: chance ~ 2e-5).
ok "  -v shows three waits, not all 0.0s" sh -c \
	"grep -E '^retry $U/a\\.txt in [0-9]+\\.[0-9]s: HTTP 503' '$T/err' >'$T/w' &&
	 [ \$(wc -l <'$T/w') -eq 3 ] && grep -qv ' in 0\\.0s' '$T/w'"
done_testing
