#!/bin/sh
# Hostile reply heads, served byte for byte by t05rawserver:
# header lines over 100 KB, invalid or conflicting Content-Length, invalid
# Last-Modified and Retry-After dates, broken status lines and chunking,
# control characters in headers and redirect targets. Each is handled: no
# crash, a job that cannot be trusted fails with a printable message and
# leaves no file, the others are saved whole.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq od awk stat

RAWSERVER=${RAWSERVER:-$(cd "$(dirname "$FETCHPOOL")/.." && pwd)/tests/integration/t05rawserver}
[ -x "$RAWSERVER" ] || BAIL_OUT "t05rawserver not built: $RAWSERVER"

D=$T/replies
mkdir -p "$D"
repeat() { # repeat N TEXT
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}
reply() { # reply NAME[.K] STATUS-LINE [HEADER...] : body "hello\n" on stdin
	local f=$D/$1.http
	shift
	{
		printf '%s\r\n' "$@"
		printf '\r\n'
		cat
	} >"$f"
}
hello() { printf 'hello\n'; }
ok200() { # ok200 NAME [HEADER...]: 200 with a correct Content-Length
	local n=$1
	shift
	hello | reply "$n" 'HTTP/1.1 200 OK' 'Content-Length: 6' "$@"
}

# Header lines over 100 KB (libcurl's limit for one header is 100 KB).
ok200 bighdr "X-Big: $(repeat 20000 'aaaaaaaaaa')"
ok200 manyhdr $(i=0; while [ $i -lt 3000 ]; do printf 'X-H%d:%s ' $i "$(repeat 9 'bbbbbbbbbb')"; i=$((i + 1)); done)
# Content-Length: invalid, conflicting, too short, too long.
hello | reply clneg 'HTTP/1.1 200 OK' 'Content-Length: -1' 'Connection: close'
hello | reply clalpha 'HTTP/1.1 200 OK' 'Content-Length: abc' 'Connection: close'
hello | reply clhuge 'HTTP/1.1 200 OK' 'Content-Length: 99999999999999999999999' 'Connection: close'
hello | reply cldup 'HTTP/1.1 200 OK' 'Content-Length: 6' 'Content-Length: 7' 'Connection: close'
hello | reply clshort 'HTTP/1.1 200 OK' 'Content-Length: 100' 'Connection: close'
hello | reply cllong 'HTTP/1.1 200 OK' 'Content-Length: 3' 'Connection: close'
# Last-Modified: garbage, year 9999, the epoch, a 32nd of a month.
ok200 lmbad 'Last-Modified: yesterday, around noon'
ok200 lmfar 'Last-Modified: Fri, 31 Dec 9999 23:59:59 GMT'
ok200 lmepoch 'Last-Modified: Thu, 01 Jan 1970 00:00:00 GMT'
ok200 lm32 'Last-Modified: Sun, 32 Jan 2023 25:61:61 GMT'
ok200 lmneg 'Last-Modified: Sat, 01 Jan -001 00:00:00 GMT'
# Retry-After: malformed values fall back to the short backoff.
for ra in 'soon' '-5' '1.5' 'Thu, 32 Foo 2099 99:99:99 GMT' '' "$(repeat 50 ' ')7x"; do
	n=ra$(printf '%s' "$ra" | cksum | cut -d' ' -f1)
	printf 'Service Unavailable\n' |
		reply "$n.1" 'HTTP/1.1 503 Service Unavailable' "Retry-After: $ra" \
			'Content-Length: 20'
	ok200 "$n"
	RA_NAMES="${RA_NAMES-} $n"
done
# Status lines and framing libcurl must refuse.
hello | reply badstatus 'HTTP/1.1 abc OK' 'Content-Length: 6'
printf 'hello world, no status line\n' >"$D/http09.http"
printf 'HTTP/1.1 200 OK\r\nX-A: a\000b\r\nContent-Length: 6\r\n\r\nhello\n' >"$D/nulhdr.http"
printf 'zz\r\nhello\r\n0\r\n\r\n' | reply badchunk 'HTTP/1.1 200 OK' 'Transfer-Encoding: chunked'
printf 'ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n' | reply hugechunk 'HTTP/1.1 200 OK' 'Transfer-Encoding: chunked'
# Redirect targets with control characters and another scheme, a huge URL.
printf '' | reply redirctrl 'HTTP/1.1 302 Found' \
	"$(printf 'Location: gopher://x/\033]0;owned\007\033[2J')" 'Content-Length: 0'
printf '' | reply redirlong 'HTTP/1.1 302 Found' \
	"Location: /$(repeat 20000 'cccccccccc')" 'Content-Length: 0'
# A server-chosen file name is ignored: the name comes from the URL.
ok200 cdisp 'Content-Disposition: attachment; filename="../../cd-evil.txt"; filename*=UTF-8'"''"'..%2F..%2Fcd-evil2.txt'
# A hostile validator, stored and sent back on the next run.
ok200 etag "ETag: \"$(repeat 800 'e\\"x')\"" 'Last-Modified: Thu, 01 Jan 2015 00:00:00 GMT'
hello | reply etag.2 'HTTP/1.1 304 Not Modified'

"$RAWSERVER" --dir "$D" --port-file "$T/rawport" --log "$T/raw.log" \
	</dev/null >"$T/raw.out" 2>&1 &
RAW_PID=$!
wait_until 10 test -s "$T/rawport" || BAIL_OUT "t05rawserver did not start"
RAW=http://127.0.0.1:$(cat "$T/rawport")
stop_raw() {
	kill -TERM "$RAW_PID" 2>/dev/null
	wait "$RAW_PID" 2>/dev/null
}
trap 'st=$?; stop_raw; (exit $st); _lib_exit' EXIT

ok_names="bighdr manyhdr clhuge cllong cdisp lmbad lmfar lmepoch lm32 lmneg etag$RA_NAMES"
fail_names="clneg clalpha cldup clshort badstatus http09 nulhdr badchunk hugechunk redirctrl redirlong"
for n in $ok_names $fail_names; do printf '%s/%s\n' "$RAW" "$n"; done >"$T/list"

t0=$(date +%s%3N)
run_fp -o "$T/dl" -j 1 --retries 1 --report "$T/r.json" books "$T/list"
took=$(($(date +%s%3N) - t0))
is "hostile heads: exit 1 (some jobs cannot be trusted), no crash" "$rc" 1
ok "report written" jq -e . "$T/r.json"
status() { jq -r --arg s "$RAW/$1" '.jobs[] | select(.source == $s) | .status' "$T/r.json"; }
error() { jq -r --arg s "$RAW/$1" '.jobs[] | select(.source == $s) | .error' "$T/r.json"; }

# One header line over 100 KB: libcurl refuses the reply; the job fails
# permanently with a message that says why (not libcurl's "Out of
# memory"). Many headers adding up to 300 KB: libcurl takes them. A
# Content-Length too big for any number: libcurl reads to the end of the
# connection.
is "bighdr: failed" "$(status bighdr)" failed
like "bighdr: the error says the header is too large" "$(error bighdr)" \
	"^reply header too large \(over 100 KB\) \($RAW/bighdr\)\$"
unlike "bighdr: not 'Out of memory'" "$(error bighdr)" '[Mm]emory'
ok "bighdr: no file" test ! -e "$T/dl/bighdr"
is "bighdr: not retried (1 attempt)" \
	"$(jq -r --arg s "$RAW/bighdr" '.jobs[] | select(.source == $s) | .attempts' "$T/r.json")" 1
for n in manyhdr clhuge; do
	is "$n: ok" "$(status $n)" ok
	is "$n: saved whole" "$(cat "$T/dl/$n" 2>/dev/null)" hello
done
is "Content-Length 3 with 6 bytes sent: 3 bytes kept" "$(cat "$T/dl/cllong" 2>/dev/null)" hel
for n in cdisp lmbad lmfar lmepoch lm32 lmneg etag; do
	is "$n: ok" "$(status $n)" ok
	is "$n: saved whole" "$(cat "$T/dl/$n" 2>/dev/null)" hello
done
is "Content-Disposition ignored: no file by its name" \
	"$(find "$T" -name 'cd-evil*' | wc -l | tr -d ' ')" 0
now=$(date +%s)
m=$(stat -c %Y "$T/dl/lmbad")
ok "lmbad: an unparsable Last-Modified leaves a current mtime" \
	test "$m" -ge $((now - 600)) -a "$m" -le $((now + 600))
is "lmepoch: mtime is the epoch" "$(stat -c %Y "$T/dl/lmepoch")" 0
# Year 9999 is in the future: the file's time is clamped to now.
m=$(stat -c %Y "$T/dl/lmfar")
ok "lmfar: a Last-Modified in the future becomes now ($m, now $now)" \
	test "$m" -ge $((now - 600)) -a "$m" -le "$now"
# lm32 (day 32, hour 25) and lmneg (year -1) are not dates; whatever the
# parser makes of them, never a time in the future.
for n in lm32 lmneg; do
	m=$(stat -c %Y "$T/dl/$n")
	ok "$n: mtime not in the future ($m)" test "$m" -le "$now"
done
for n in $RA_NAMES; do
	is "bad Retry-After ($n): retried, then ok" "$(status $n)" ok
done
ok "bad Retry-After values cost no long wait (${took} ms for everything)" \
	test "$took" -lt 30000
for n in $fail_names; do
	is "$n: failed" "$(status $n)" failed
	# A .part may stay (the next run resumes it); NAME is always whole.
	ok "$n: no file" test ! -e "$T/dl/$n"
	unlike "$n: an error message" "$(error $n)" '^(null)?$'
done
# od -b prints every byte as three octal digits: 033 is ESC, 007 BEL.
# (od -c would print them as 033 and \a.) Checked on a sample first, so
# that the check itself is known to see them.
has_ctl() { cat "$@" | od -An -v -b | tr -s ' ' '\n' | grep -qx '033\|007'; }
printf 'a\007b\033c' >"$T/ctl-sample"
ok "the control-character check sees ESC and BEL in a sample" has_ctl "$T/ctl-sample"
if has_ctl "$T/err" "$T/out" "$T/r.json"; then
	fail "no escape or bell character in any output"
	diag "$(grep -n "$(printf '\033')" "$T/err" | od -c | head -n 5)"
else
	pass "no escape or bell character in any output"
fi

# The hostile ETag was stored; the rerun sends it back and gets a 304.
run_fp -o "$T/dl" --retries 0 --report "$T/r2.json" books "$T/list"
# The jobs that could not be trusted fail again: exit 1 (a crash would be
# 134 or 139, a sanitizer report 66..68).
is "rerun with stored hostile validators: exit 1, no crash" "$rc" 1
is "rerun: the etag file is up to date" \
	"$(jq -r --arg s "$RAW/etag" '.jobs[] | select(.source == $s) | .status' "$T/r2.json")" \
	up_to_date
is "rerun: the etag file is untouched" "$(cat "$T/dl/etag")" hello
stop_raw
done_testing
