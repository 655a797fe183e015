#!/bin/sh
# Hostile list files: binary junk, NUL bytes, invalid UTF-8,
# a 1 MiB line, CRLF, unknown or malformed options, out= escapes, other
# schemes, credentials. Each bad line is reported as FILE:LINE: reason and
# skipped, the valid jobs still run, the exit status is 1, no raw input
# byte reaches the terminal and no credential any output.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq cmp head tr od

tree=$T/tree
mkdir -p "$tree"
for n in a b c d e; do printf 'file %s\n' "$n" >"$tree/$n.txt"; done
server_start --root "$tree"
U=$SERVER_URL
P=$SERVER_PORT
L=$T/list

# Does FILE hold a byte that is neither printable ASCII nor a tab or a
# newline (raw input echoed: controls, invalid UTF-8, NUL)?
has_raw_bytes() {
	[ "$(od -An -v -tu1 "$1" | tr -s ' ' '\n' |
		awk 'NF && ($1 < 32 && $1 != 9 && $1 != 10 || $1 > 126)' |
		wc -l)" -ne 0 ]
}

# ---- one file with every kind of bad line -------------------------------
{
	printf '\000\001\002binary junk\377\376\n'             # 1
	printf '%s/a.txt\000nul\n' "$U"                         # 2
	printf '%s/a.txt Bad \303\050 title\n' "$U"             # 3
	printf '%s/' "$U"; head -c 1048576 /dev/zero | tr '\0' x # 4
	printf '\n'
	printf '%s/b.txt CRLF job\r\n' "$U"                     # 5
	printf '%s/a.txt\n  bo/gus=1\n' "$U"                    # 6, 7
	printf '%s/a.txt\n  priority\n' "$U"                    # 8, 9
	printf '%s/a.txt\n  priority=9\n' "$U"                  # 10, 11
	printf '%s/a.txt\n  out=../../x\n' "$U"                 # 12, 13
	printf '%s/a.txt\n  out=/etc/x\n' "$U"                  # 14, 15
	printf '%s/a.txt\n  out=.hidden\n' "$U"                 # 16, 17
	printf 'file:///etc/passwd\n'                           # 18
	printf 'ftp://127.0.0.1:%s/a.txt\n' "$P"                # 19
	printf 'gopher://127.0.0.1:%s/1\n' "$P"                 # 20
	printf 'http://alice:hunter2@127.0.0.1:%s/c.txt Creds\n' "$P" # 21
	printf '%s/d.txt\tTabbed title\n' "$U"                  # 22
	printf '%s/e.txt\n  out=\033]0;evil\007.txt\n' "$U"     # 23, 24
	printf '%s/e.txt\n  k y=value=\n' "$U"                  # 25, 26
	printf '%s/e.txt Last\n  priority=1\n' "$U"             # 27, 28
} >"$L"

run_fp -o "$T/w/dl" -j 2 --report "$T/r.json" books "$L"
ln -s w/dl "$T/dl"
is "invalid lines: exit 1" "$rc" 1
err=$(cat "$T/err")
for spec in \
	'1:NUL byte' '2:NUL byte' '3:invalid UTF-8' '4:line too long' \
	'7:unknown option \(accepted' '9:option must be key=value' \
	'11:priority must be 1\.\.5' "13:out must be a plain file name" \
	"15:out must be a plain file name" "17:out must be .*hidden" \
	"18:unsupported scheme 'file'" "19:unsupported scheme 'ftp'" \
	"20:unsupported scheme 'gopher'" '24:control character' \
	'26:unknown option \(accepted'; do
	n=${spec%%:*}
	like "line $n reported as FILE:LINE: reason" "$err" "^$L:$n: ${spec#*:}"
done
is "fifteen invalid lines, one message each" \
	"$(grep -c "^$L:[0-9]*: " "$T/err")" 15
like "summary counts them" "$err" \
	'^fetchpool: 4 downloaded, 0 up to date, 0 failed, 0 cancelled, 15 invalid'
ok "CRLF job ran" cmp "$T/dl/b.txt" "$tree/b.txt"
like "CRLF: no CR in the title" "$(cat "$T/out")" '^Downloading CRLF job\.\.\.$'
ok "job with credentials ran" cmp "$T/dl/c.txt" "$tree/c.txt"
ok "tab-separated title ran" cmp "$T/dl/d.txt" "$tree/d.txt"
like "tab in the title became a space" "$(cat "$T/out")" \
	'^Finished downloading Tabbed title$'
ok "last job ran" cmp "$T/dl/e.txt" "$tree/e.txt"
is "no file from an invalid job" \
	"$(cd "$T/dl" && ls | sort | tr '\n' ' ')" "b.txt c.txt d.txt e.txt "
ok "no hidden file but fetchpool's own" sh -c \
	"! ls -A '$T/dl' | grep -v '^\.fetchpool\.' | grep -q '^\.'"
is "out=../../x wrote nothing above the output dir" \
	"$(find "$T" -name x | wc -l | tr -d ' ')" 0
ok "out=/etc/x wrote nothing" test ! -e /etc/x
if has_raw_bytes "$T/err"; then
	fail "stderr: only printable text"
	diag "$(od -c "$T/err" | head -n 20)"
else
	pass "stderr: only printable text"
fi
if has_raw_bytes "$T/out"; then fail "stdout: only printable text"
else pass "stdout: only printable text"; fi
for f in "$T/out" "$T/err" "$T/r.json"; do
	unlike "password never echoed ($(basename "$f"))" "$(cat "$f")" hunter2
	unlike "user never echoed ($(basename "$f"))" "$(cat "$f")" 'alice'
done
ok "the state file was written" test -s "$T/dl/.fetchpool.state"
unlike "password not stored in the state file" \
	"$(cat "$T/dl/.fetchpool.state")" hunter2
printf 'http://alice:hunter2@127.0.0.1:%s/c.txt Creds\n' "$P" >"$T/creds"
run_fp -o "$T/dlv" -v books "$T/creds"
is "-v with credentials: exit 0" "$rc" 0
unlike "-v never echoes credentials" "$(cat "$T/out" "$T/err")" 'hunter2|alice'
run_fp -o "$T/dlv" --dry-run books "$T/creds"
like "--dry-run shows the redacted URL" "$(cat "$T/out" "$T/err")" \
	"http://127\.0\.0\.1:$P/c\.txt"
unlike "--dry-run never echoes credentials" "$(cat "$T/out" "$T/err")" 'hunter2|alice'
ok "report is valid JSON" jq -e . "$T/r.json"
is "report: 15 invalid" "$(jq '.totals.invalid' "$T/r.json")" 15
is "report: credentials job source is redacted" \
	"$(jq -r '.jobs[] | select(.title == "Creds") | .source' "$T/r.json")" \
	"http://127.0.0.1:$P/c.txt"
is "report: credentials job url is redacted" \
	"$(jq -r '.jobs[] | select(.title == "Creds") | .url' "$T/r.json")" \
	"http://127.0.0.1:$P/c.txt"
is "report: the 1 MiB line is not copied" \
	"$(jq '[.jobs[] | tostring | length] | max < 4096' "$T/r.json")" true

# Malformed lines whose "://" comes late: the userinfo before it must not
# reach the report either (a fuzzing finding, see tests/fuzz/crashes/).
printf 'ftp:/alice:hunter2@127.0.0.1/x://y\nftp:alice:hunter2@127.0.0.1/a?b://\n%s/a.txt\n' \
	"$U" >"$T/late"
run_fp -o "$T/dl6" --report "$T/r6.json" books "$T/late"
is "late '://': exit 1" "$rc" 1
unlike "late '://': no password on stdout or stderr" "$(cat "$T/out" "$T/err")" hunter2
ok "late '://': no password in the report" sh -c "! grep -q hunter2 '$T/r6.json'"

# An empty authority: libcurl reads "ftp:///user:pw@host/x" past the third
# slash, so the userinfo is there all the same (a fuzzing finding).
printf 'ftp:///alice:hunter2@127.0.0.1/x\nftp:////alice:hunter2@127.0.0.1/x\n' >"$T/slashes"
run_fp -o "$T/dl7" --report "$T/r7.json" books "$T/slashes"
is "extra slashes: exit 1" "$rc" 1
unlike "extra slashes: no password on stdout or stderr" "$(cat "$T/out" "$T/err")" hunter2
ok "extra slashes: no password in the report" sh -c "! grep -q hunter2 '$T/r7.json'"

# ---- a whole file with CRLF line ends and a BOM ---------------------------
printf '\357\273\277# list\r\n%s/a.txt\r\n  out=crlf.txt\r\n  priority=2\r\n\r\n%s/b.txt  Spaced title  \r\n' \
	"$U" "$U" >"$T/crlf"
run_fp -o "$T/dl2" books "$T/crlf"
is "CRLF file: exit 0" "$rc" 0
ok "CRLF file: out= without the CR" cmp "$T/dl2/crlf.txt" "$tree/a.txt"
ok "CRLF file: second job" cmp "$T/dl2/b.txt" "$tree/b.txt"
like "CRLF file: title trimmed" "$(cat "$T/out")" '^Finished downloading Spaced title$'

# ---- an option line above every job ---------------------------------------
printf '  out=orphan.txt\n%s/a.txt\n' "$U" >"$T/orphan"
run_fp -o "$T/dl5" books "$T/orphan"
is "orphan option line: exit 1" "$rc" 1
like "orphan option line reported" "$(cat "$T/err")" \
	"^$T/orphan:1: option line without a job line above"
ok "orphan option line: the job ran under its own name" cmp "$T/dl5/a.txt" \
	"$tree/a.txt"
ok "orphan option line: out= not applied" test ! -e "$T/dl5/orphan.txt"

# ---- pure binary junk ------------------------------------------------------
server_reset
run_fp -o "$T/dl3" --report "$T/r3.json" books "$FIXTURES/hostile/junk.bin"
is "binary junk: exit 1" "$rc" 1
ok "binary junk: every message is FILE:LINE: reason or the summary" sh -c \
	"! grep -v -e '^$FIXTURES/hostile/junk.bin:[0-9]*: ' -e '^fetchpool: 0 downloaded' '$T/err'"
if has_raw_bytes "$T/err"; then fail "binary junk: stderr printable"
else pass "binary junk: stderr printable"; fi
is "binary junk: nothing downloaded" "$(ls "$T/dl3" 2>/dev/null | wc -l)" 0
is "binary junk: server not asked" \
	"$(server_stats | jq '[.requests[] | select(.path | startswith("/_") | not)] | length' |
		tr -d ' ')" 0
ok "binary junk: report is valid JSON" jq -e . "$T/r3.json"

# ---- the same through standard input ---------------------------------------
run_fp -o "$T/dl4" books - <"$L"
is "stdin: exit 1" "$rc" 1
like "stdin: messages name it" "$(cat "$T/err")" \
	"^(-|<stdin>):18: unsupported scheme 'file'"
ok "stdin: the valid jobs ran" cmp "$T/dl4/e.txt" "$tree/e.txt"
done_testing
