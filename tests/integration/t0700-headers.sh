#!/bin/sh
# Extra request headers: -H (repeatable) and the list key header=
# (repeatable, per job) reach the server, a job's header replaces a -H
# header of the same name, and the values of Authorization, Cookie and
# Proxy-Authorization never appear in clear: not on stdout or stderr,
# not in -v, the report, the state file or an error line. A malformed
# header is one clear error: exit 2 for -H, FILE:LINE for the list key.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

mkdir "$T/www"
printf 'alpha\n' >"$T/www/a.txt"
printf 'bravo\n' >"$T/www/b.txt"
server_start --root "$T/www"

# hdr PATH NAME: the header NAME the server saw on PATH ("null" if none).
hdr() {
	server_stats | jq -r --arg p "$1" --arg h "$2" \
		'[.requests[] | select(.path == $p)][0].headers[$h]'
}

# no_secret DESC WORD: WORD is nowhere in fetchpool's output or files.
no_secret() {
	local f hits=
	for f in "$T/out" "$T/err" "$T/report.json" "$T/dl/.fetchpool.state"; do
		[ -f "$f" ] && grep -qF -- "$2" "$f" && hits="$hits $f"
	done
	is "$1" "${hits:-none}" none
}

# ---- -H and header= at the server ------------------------------------------
cat >"$T/list" <<LIST
$SERVER_URL/a.txt
$SERVER_URL/b.txt
  header=X-Test: from-the-list
  header=Cookie: session=COOKIE-SECRET-1
  header=X-Job: b
$SERVER_URL/missing.txt
  header=Authorization: Bearer JOB-SECRET-2
LIST
run_fp -v -o "$T/dl" --report "$T/report.json" --retries 0 \
	-H 'X-Test: from-the-option' -H 'Authorization: Bearer OPT-SECRET-3' \
	-H 'X-Two: spaced  value' books "$T/list"
is "exit 1 (one 404)" "$rc" 1
is "a.txt: -H X-Test" "$(hdr /a.txt x-test)" from-the-option
is "a.txt: -H Authorization" "$(hdr /a.txt authorization)" \
	'Bearer OPT-SECRET-3'
is "a.txt: -H with inner spaces" "$(hdr /a.txt x-two)" 'spaced  value'
is "a.txt: no job headers of b" "$(hdr /a.txt x-job)" null
is "b.txt: header= X-Job" "$(hdr /b.txt x-job)" b
is "b.txt: header= replaces -H of the same name" \
	"$(hdr /b.txt x-test)" from-the-list
is "b.txt: header= Cookie" "$(hdr /b.txt cookie)" 'session=COOKIE-SECRET-1'
is "b.txt: -H Authorization still sent" "$(hdr /b.txt authorization)" \
	'Bearer OPT-SECRET-3'
is "missing.txt: header= Authorization replaces -H" \
	"$(hdr /missing.txt authorization)" 'Bearer JOB-SECRET-2'
is "the files" "$(cat "$T/dl/a.txt" "$T/dl/b.txt")" "alpha
bravo"
like "-v shows -H Authorization as ***" "$(cat "$T/err")" \
	'request header Authorization: \*\*\*$'
like "-v shows other -H values" "$(cat "$T/err")" \
	'request header X-Test: from-the-option$'
like "the 404 is reported" "$(cat "$T/err")" 'missing.txt.*404'
no_secret "-H secret never printed or stored" OPT-SECRET-3
no_secret "header= Cookie never printed or stored" COOKIE-SECRET-1
no_secret "header= Authorization never printed or stored" JOB-SECRET-2

# ---- "Name:" removes a header libcurl would send -----------------------------
server_reset
printf '%s\n' "$SERVER_URL/a.txt" >"$T/list1"
run_fp -o "$T/dl1" -H 'Accept:' -H 'User-Agent: via-H/1' books "$T/list1"
is "empty value: exit 0" "$rc" 0
is "Accept removed" "$(hdr /a.txt accept)" null
is "User-Agent replaced" "$(hdr /a.txt user-agent)" via-H/1

# ---- malformed -H: exit 2, nothing fetched, no secret echoed -----------------
server_reset
cr=$(printf '\r')
for bad in 'NoColon' ': no name' 'Bad Name: v' "X-A: one${cr}" \
	"Authorization: Basic BAD-SECRET-4${cr}X-Injected: 1"; do
	run_fp -o "$T/dlbad" -H "$bad" books "$T/list1"
	is "-H '$(printf '%s' "$bad" | tr '\r' '?')': exit 2" "$rc" 2
	is "  one line" "$(wc -l <"$T/err" | tr -d ' ')" 1
	like "  naming -H/--header" "$(cat "$T/err")" \
		"^fetchpool: -H/--header: "
done
unlike "the injected Authorization value is not echoed" "$(cat "$T/err")" \
	BAD-SECRET-4
like "  but shown as ***" "$(cat "$T/err")" "got 'Authorization: \*\*\*'"
is "nothing fetched" "$(server_stats | jq '.total_requests')" 0

# ---- malformed header= in the list: FILE:LINE, the job skipped ---------------
cat >"$T/list2" <<LIST
$SERVER_URL/a.txt
  header=Authorization Bearer LIST-SECRET-5
$SERVER_URL/b.txt
  header=X Bad: LIST-SECRET-6
$SERVER_URL/b.txt
  out=b2.txt
  header=X-Fine: yes
LIST
run_fp -o "$T/dl2" --report "$T/report.json" books "$T/list2"
is "bad header=: exit 1" "$rc" 1
like "no colon: FILE:LINE" "$(cat "$T/err")" \
	"list2:2: header=: header has no ':'"
like "bad name: FILE:LINE" "$(cat "$T/err")" \
	"list2:4: header=: header name must be"
is "the good job ran" "$(cat "$T/dl2/b2.txt")" bravo
ok "the bad jobs did not" test ! -e "$T/dl2/a.txt" -a ! -e "$T/dl2/b.txt"
is "one request" "$(server_stats | jq '.total_requests')" 1
no_secret "a malformed header='s value is not echoed" LIST-SECRET-5
no_secret "  nor the other" LIST-SECRET-6
done_testing
