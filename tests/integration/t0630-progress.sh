#!/bin/sh
# Progress: with stderr not a terminal, nothing unless --progress, then
# plain "[Ns] x/y files, BYTES, RATE/s" lines every few seconds; on a
# terminal (script(1) makes one) a status line redrawn in place below the
# event lines, bold unless NO_COLOR; TERM=dumb gets plain lines; gdp counts
# requests. The server answers slowly (--latency) so that a run lasts
# longer than one progress period; bounds are generous.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

server_start --gutenberg "$FIXTURES/gutenberg" --worldbank "$FIXTURES/worldbank" \
	--latency 1000
M=$SERVER_URL
# Titles given: one request per book. -j 1: about 4 s in all.
printf '1342 One\n1661 Two\n120 Three\n844 Four\n' >"$T/list"
ESC=$(printf '\033')
CR=$(printf '\r')
PLAIN='^\[[0-9]+s\] [0-4]/4 files, [0-9.]+ [kMG]?B, [0-9.]+ [kMG]?B/s$'

run_fp --mirror "$M" -o "$T/dl1" -j 1 --progress "$T/list"
is "--progress, not a terminal: exit 0" "$rc" 0
grep -E '^\[' "$T/err" >"$T/lines"
ok "--progress: at least one plain line (run of ~4 s, every 3 s)" \
	test -s "$T/lines"
is "--progress: every progress line has the plain format" \
	"$(grep -Ev "$PLAIN" "$T/lines")" ""
unlike "--progress: no escape sequences" "$(cat "$T/err")" "$ESC"
unlike "--progress: no carriage returns" "$(cat "$T/err")" "$CR"
is "--progress: events unchanged on stdout" \
	"$(grep -c '^Finished downloading' "$T/out")" 4
like "--progress: summary still last" "$(tail -n 1 "$T/err")" \
	'^fetchpool: 4 downloaded'

run_fp --mirror "$M" -o "$T/dl2" -j 4 "$T/list"
is "no --progress, not a terminal: exit 0" "$rc" 0
is "no --progress, not a terminal: only the summary on stderr" \
	"$(wc -l <"$T/err" | tr -d ' ')" 1
unlike "no --progress: no progress line" "$(cat "$T/err")" '^\['

run_fp --mirror "$M" -o "$T/dl3" -j 1 -q --progress "$T/list"
is "-q --progress: exit 0" "$rc" 0
ok "-q --progress: the progress asked for is there" grep -Eq "$PLAIN" "$T/err"
is "-q --progress: stdout stays empty" "$(cat "$T/out")" ""

# gdp counts requests: three countries and the country list, one at a time.
run_fp --api-url "$M/v2" -j 1 --progress gdp --year 2019 ABW AFG ARG
is "gdp --progress: exit 0" "$rc" 0
ok "gdp --progress: plain lines count requests" \
	grep -Eq '^\[[0-9]+s\] [0-4]/[4?] requests, ' "$T/err"
is "gdp --progress: data untouched on stdout" \
	"$(grep -c '^country: ' "$T/out")" 3

# On a terminal. script(1) from util-linux runs the command on a pty.
if ! command -v script >/dev/null 2>&1 ||
	! script -qec true /dev/null >/dev/null 2>&1; then
	for d in "status line drawn" "status line cleared before events" \
		"status line counts" "in flight shown" "bold counts" \
		"NO_COLOR: no bold" "TERM=dumb: plain lines" "--no-progress on a terminal" \
		"-q on a terminal"; do
		skip "terminal: $d" "util-linux script(1) is not available"
	done
	done_testing
fi

# on_tty OUTFILE "VAR=VALUE ..." ARGS...: fetchpool ARGS on a pty with
# those environment variables, everything it wrote in OUTFILE, exit in rc.
on_tty() {
	tty_out=$1 tty_cmd="env $2 ${FP_WRAPPER-} '$FETCHPOOL'"
	shift 2
	for tty_arg in "$@"; do
		tty_cmd="$tty_cmd '$tty_arg'"
	done
	rc=0
	timeout -k 10 "${FP_TIMEOUT:-120}" script -qec "$tty_cmd" /dev/null \
		</dev/null >"$tty_out" 2>&1 || rc=$?
}

rm -rf "$T/dl1"
on_tty "$T/tty" "TERM=xterm NO_COLOR=" --mirror "$M" \
	-o "$T/dl1" -j 4 "$T/list"
tty=$(cat "$T/tty")
is "terminal: exit 0" "$rc" 0
like "terminal: status line drawn" "$tty" "${CR}.*files, .*${ESC}\[K"
like "terminal: status line cleared before events" "$tty" \
	"${CR}${ESC}\[KFinished downloading"
like "terminal: status line counts" "$tty" "[0-4]/4(${ESC}\[0m)? files, "
like "terminal: in flight shown" "$tty" ', [0-4] in flight'
like "terminal: bold counts" "$tty" "${ESC}\[1m[0-4]/4${ESC}\[0m files"

rm -rf "$T/dl1"
on_tty "$T/tty" "TERM=xterm NO_COLOR=1" --mirror "$M" \
	-o "$T/dl1" -j 4 "$T/list"
tty=$(cat "$T/tty")
like "NO_COLOR: status line still drawn" "$tty" "${CR}[0-4]/4 files, "
unlike "NO_COLOR: no bold" "$tty" "${ESC}\[1m"

rm -rf "$T/dl1"
on_tty "$T/tty" "TERM=dumb" --mirror "$M" \
	-o "$T/dl1" -j 1 "$T/list"
tty=$(cat "$T/tty")
like "TERM=dumb: plain lines" "$tty" '^\[[0-9]+s\] [0-4]/4 files, '
unlike "TERM=dumb: no escape sequences" "$tty" "$ESC"

rm -rf "$T/dl1"
on_tty "$T/tty" "TERM=xterm" --mirror "$M" \
	-o "$T/dl1" -j 4 --no-progress "$T/list"
unlike "--no-progress on a terminal: no status line" "$(cat "$T/tty")" \
	"files, |$ESC"
rm -rf "$T/dl1"
on_tty "$T/tty" "TERM=xterm" --mirror "$M" \
	-o "$T/dl1" -j 4 -q "$T/list"
is "-q on a terminal: nothing at all" "$(cat "$T/tty")" ""

done_testing
