# tests/lib.sh: shell library for fetchpool's integration tests (TAP).
#
# A test script (tests/integration/tNNNN-name.sh) looks like:
#
#     . "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
#     server_start --gutenberg "$FIXTURES/gutenberg"
#     run_fp --mirror "$SERVER_URL" -o "$T/dl" books "$T/list"
#     is "exit status" "$rc" 0
#     ok "file saved" test -f "$T/dl/pg1342.txt"
#     done_testing
#
# It runs under /bin/sh (dash) or bash: only POSIX sh plus `local`.
#
# Environment (set by `make check`, see tests/local.mk; absolute paths):
#   FETCHPOOL, FIXTURE_SERVER, TOP_SRCDIR, FIXTURES.
#   Run by hand from a build dir, they default to ./cmd/fetchpool,
#   ./tests/server/fixture-server and the source dir above the script.
# Optional:
#   FP_WRAPPER              command put before $FETCHPOOL (e.g. "valgrind -q
#                           --error-exitcode=99")
#   FIXTURE_SERVER_WRAPPER  the same for the fixture server
#   SERVER_START_TIMEOUT    seconds to wait for a server's port (10)
#   FP_TIMEOUT              seconds before run_fp kills fetchpool (120)
#   KEEP_T=1                keep the temp dir $T after the test
#
# What sourcing this file does: `set -u`, LC_ALL=C, makes the temp dir $T
# (removed at exit), and installs an EXIT trap that stops every server.
#
# TAP (output on stdout; failures print got/expected as "# " lines):
#   ok DESC CMD...          pass if CMD exits 0 (its output is shown on failure)
#   is DESC GOT EXPECTED    string equality;  isnt DESC GOT UNEXPECTED
#   like DESC TEXT REGEX    some line of TEXT matches REGEX (grep -E)
#   unlike DESC TEXT REGEX  no line matches
#   pass DESC / fail DESC   an explicit result
#   skip DESC REASON        a skipped test;  skip_all REASON  skips the script
#   diag MSG...             "# MSG" lines;   BAIL_OUT MSG  aborts the run
#   done_testing            stops the servers, prints 1..N, exit 1 if a
#                           test failed
#
# Fixture servers (tests/server/README.md has the command line):
#   server_start [ARGS...]  start one more server on 127.0.0.1 with
#                           --port-file and ARGS; waits (bounded) for its
#                           port. The first server sets SERVER_PORT,
#                           SERVER_URL (http://127.0.0.1:PORT) and
#                           SERVER_PID; the Nth (N >= 2) sets SERVERN_PORT,
#                           SERVERN_URL, SERVERN_PID (SERVER2_URL, ...).
#                           Port files: $T/port, $T/port2, ...; logs:
#                           $T/server1.log, $T/server2.log, ...
#   server_stop [N [SIG]]   send SIGTERM (or SIG, e.g. INT) to server N
#                           (default: all), wait up to 10 s, then SIGKILL.
#                           A server that does not exit 0 adds a failed
#                           test with the end of its log.
#   server_stats [URL]      print the /_stats JSON of server 1 (or of URL,
#                           e.g. "$SERVER2_URL")
#   server_rule PATH ACTIONS [URL]   install a fault rule (returns 1 and
#                           prints a diagnostic if the server refuses it)
#   server_reset [URL]      clear statistics and rules
#
# Running fetchpool:
#   run_fp ARGS...          timeout $FP_TIMEOUT $FP_WRAPPER $FETCHPOOL ARGS,
#                           stdout to $T/out, stderr to $T/err, exit status
#                           in $rc (never aborts). Stdin is the caller's:
#                           run_fp books - <"$T/list".
#   start_fp ARGS...        the same in the background; FP_PID is the pid
#                           of timeout, which runs with --foreground so
#                           that kill -INT "$FP_PID" reaches fetchpool
#                           exactly once (without it timeout passes the
#                           signal on twice: to the child and to its
#                           process group)
#   wait_fp                 wait for it; sets $rc
#   (Never use a bare `wait` in a test: it also waits for the servers,
#   forever. Wait for the pids you started: `wait $pids`.)
#
# Helpers:
#   sha256_of FILE          print the file's SHA-256 (hex)
#   file_size FILE          print its size in bytes
#   wait_until SEC CMD...   poll CMD every 50 ms until it succeeds (0) or
#                           SEC seconds pass (1)
#   require_cmd CMD...      skip_all unless every CMD is installed
#
# Sanitizer reports (a build with --enable-sanitizers) never pass silently:
# after every run_fp / wait_fp / bg_wait, a report in fetchpool's stderr
# ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
# "WARNING: ThreadSanitizer", ...) adds a failed test naming the run, and
# done_testing fails once more for each file under $T (stderr captures,
# server logs) that holds one. The sanitizers' exit codes default to
# 66 (ASan), 67 (UBSan) and 68 (TSan), distinct from fetchpool's own
# 0/1/2/3/130/143, unless the environment already sets *SAN_OPTIONS.

set -u
LC_ALL=C
export LC_ALL

_tap_n=0
_tap_failed=0
_srv_n=0

# ---- environment -----------------------------------------------------

if [ -z "${TOP_SRCDIR-}" ]; then
	TOP_SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
fi
: "${FIXTURES:=$TOP_SRCDIR/tests/fixtures}"
: "${FETCHPOOL:=$(pwd)/cmd/fetchpool}"
: "${FIXTURE_SERVER:=$(pwd)/tests/server/fixture-server}"
export TOP_SRCDIR FIXTURES FETCHPOOL FIXTURE_SERVER

: "${ASAN_OPTIONS=exitcode=66:detect_leaks=1}"
: "${UBSAN_OPTIONS=exitcode=67:print_stacktrace=1:halt_on_error=1}"
: "${TSAN_OPTIONS=exitcode=68:halt_on_error=1}"
export ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS

# ---- TAP -------------------------------------------------------------

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

BAIL_OUT() {
	printf 'Bail out! %s\n' "$*"
	exit 1
}

pass() {
	_tap_n=$((_tap_n + 1))
	printf 'ok %d - %s\n' "$_tap_n" "$1"
}

fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	printf 'not ok %d - %s\n' "$_tap_n" "$1"
}

skip() {
	_tap_n=$((_tap_n + 1))
	printf 'ok %d - %s # SKIP %s\n' "$_tap_n" "$1" "${2-}"
}

skip_all() {
	printf '1..0 # SKIP %s\n' "$*"
	exit 0
}

ok() {
	local desc="$1" st=0
	shift
	"$@" >"$T/.ok.out" 2>&1 || st=$?
	if [ "$st" -eq 0 ]; then
		pass "$desc"
	else
		fail "$desc"
		diag "command failed (exit $st): $*"
		if [ -s "$T/.ok.out" ]; then
			diag "$(head -n 20 "$T/.ok.out")"
		fi
	fi
}

is() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		diag "     got: '$2'" "expected: '$3'"
	fi
}

isnt() {
	if [ "$2" != "$3" ]; then
		pass "$1"
	else
		fail "$1"
		diag "     got: '$2'" "expected anything else"
	fi
}

like() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		pass "$1"
	else
		fail "$1"
		diag "    text: '$2'" " doesn't match: /$3/"
	fi
}

unlike() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		fail "$1"
		diag "    text: '$2'" " matches: /$3/"
	else
		pass "$1"
	fi
}

# What a sanitizer writes when it finds something (grep -E).
SAN_REPORT='ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer)|WARNING: ThreadSanitizer|ThreadSanitizer: |runtime error: |SUMMARY: (AddressSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|LeakSanitizer)'

# san_check FILE WHAT: a failed test when FILE holds a sanitizer report.
san_check() {
	if [ -f "$1" ] && grep -Eq -- "$SAN_REPORT" "$1"; then
		fail "no sanitizer report from $2"
		diag "$(grep -E -m 5 -A 12 -- "$SAN_REPORT" "$1")"
		return 1
	fi
	return 0
}

# Every stderr capture and log under $T, once more at the end.
_san_sweep() {
	local f
	for f in $(find "$T" -type f \( -name err -o -name '*.err' -o \
		-name '*.log' -o -name '.ok.out' \) 2>/dev/null); do
		san_check "$f" "${f#"$T"/} (end of test)"
	done
}

done_testing() {
	server_stop
	_san_sweep
	printf '1..%d\n' "$_tap_n"
	[ "$_tap_failed" -eq 0 ] || exit 1
	exit 0
}

# ---- helpers ---------------------------------------------------------

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed"
	done
}

sha256_of() {
	local sum
	sum=$(sha256sum <"$1") || return 1
	printf '%s\n' "${sum%% *}"
}

file_size() {
	wc -c <"$1" | tr -d ' '
}

wait_until() {
	local limit=$(($1 * 20)) i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -ge "$limit" ] && return 1
		sleep 0.05
	done
	return 0
}

# ---- fetchpool ---------------------------------------------------------

run_fp() {
	rc=0
	# shellcheck disable=SC2086 # FP_WRAPPER is a command line
	timeout -k 10 "${FP_TIMEOUT:-120}" ${FP_WRAPPER-} "$FETCHPOOL" "$@" \
		>"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		diag "run_fp: fetchpool killed after ${FP_TIMEOUT:-120} s: $*"
	fi
	san_check "$T/err" "fetchpool $*"
	return 0
}

start_fp() {
	# shellcheck disable=SC2086
	timeout --foreground -k 10 "${FP_TIMEOUT:-120}" ${FP_WRAPPER-} \
		"$FETCHPOOL" "$@" \
		>"$T/out" 2>"$T/err" &
	FP_PID=$!
}

wait_fp() {
	rc=0
	wait "$FP_PID" || rc=$?
	san_check "$T/err" "fetchpool (start_fp)"
	return 0
}

# ---- fixture servers -------------------------------------------------

# Is PID running? A zombie (exited, not yet reaped) is not.
_srv_alive() {
	local st
	if [ -r "/proc/$1/stat" ]; then
		st=$(sed -e 's/^.*) //' -e 's/ .*//' "/proc/$1/stat" 2>/dev/null) ||
			return 1
		[ -n "$st" ] && [ "$st" != Z ]
	else
		kill -0 "$1" 2>/dev/null
	fi
}

_srv_var() { # _srv_var N NAME -> value of SERVER[N]_NAME
	if [ "$1" -eq 1 ]; then
		eval "printf '%s' \"\${SERVER_$2-}\""
	else
		eval "printf '%s' \"\${SERVER$1_$2-}\""
	fi
}

_srv_set() { # _srv_set N NAME VALUE
	if [ "$1" -eq 1 ]; then
		eval "SERVER_$2=\$3; export SERVER_$2"
	else
		eval "SERVER$1_$2=\$3; export SERVER$1_$2"
	fi
}

server_start() {
	local n pf log pid i limit port
	_srv_n=$((_srv_n + 1))
	n=$_srv_n
	if [ "$n" -eq 1 ]; then pf=$T/port; else pf=$T/port$n; fi
	log=$T/server$n.log
	rm -f "$pf"
	# shellcheck disable=SC2086
	${FIXTURE_SERVER_WRAPPER-} "$FIXTURE_SERVER" --port-file "$pf" "$@" \
		</dev/null >"$log" 2>&1 &
	pid=$!
	eval "_srv_pid_$n=$pid"
	limit=$((${SERVER_START_TIMEOUT:-10} * 20))
	i=0
	while [ ! -s "$pf" ]; do
		if ! _srv_alive "$pid"; then
			wait "$pid"
			i=$?
			eval "_srv_pid_$n="
			diag "$(tail -n 20 "$log")"
			BAIL_OUT "fixture server $n exited with status $i: $*"
		fi
		i=$((i + 1))
		if [ "$i" -ge "$limit" ]; then
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			eval "_srv_pid_$n="
			diag "$(tail -n 20 "$log")"
			BAIL_OUT "fixture server $n did not publish its port"
		fi
		sleep 0.05
	done
	read -r port <"$pf"
	_srv_set "$n" PORT "$port"
	_srv_set "$n" URL "http://127.0.0.1:$port"
	_srv_set "$n" PID "$pid"
}

# Stop server N with signal SIG. QUIET=1: report nothing (used at exit,
# after the plan).
_srv_stop_one() {
	local n=$1 quiet=$2 sig=$3 pid st=0 i=0 killed=
	eval "pid=\${_srv_pid_$n-}"
	[ -n "$pid" ] || return 0
	eval "_srv_pid_$n="
	kill -"$sig" "$pid" 2>/dev/null
	while _srv_alive "$pid"; do
		i=$((i + 1))
		if [ "$i" -ge 200 ]; then
			kill -KILL "$pid" 2>/dev/null
			killed=yes
			break
		fi
		sleep 0.05
	done
	wait "$pid" 2>/dev/null || st=$?
	[ "$quiet" = 1 ] && return 0
	if [ -n "$killed" ]; then
		fail "fixture server $n stops on SIG$sig"
		diag "it did not exit within 10 s and was killed"
		diag "$(tail -n 30 "$T/server$n.log")"
	elif [ "$st" -ne 0 ]; then
		fail "fixture server $n exits cleanly"
		diag "exit status $st; end of $T/server$n.log:"
		diag "$(tail -n 30 "$T/server$n.log")"
	fi
}

# shellcheck disable=SC2120 # the argument is optional
server_stop() {
	local n=1
	if [ $# -gt 0 ]; then
		_srv_stop_one "$1" 0 "${2:-TERM}"
		return 0
	fi
	while [ "$n" -le "$_srv_n" ]; do
		_srv_stop_one "$n" 0 TERM
		n=$((n + 1))
	done
}

# shellcheck disable=SC2120 # the argument is optional
server_stats() {
	curl -sS --max-time 30 "${1:-$SERVER_URL}/_stats"
}

server_rule() {
	local code
	code=$(curl -sS --max-time 10 -o "$T/.rule.out" -w '%{http_code}' -G \
		--data-urlencode "path=$1" --data-urlencode "actions=$2" \
		"${3:-$SERVER_URL}/_rule") || code=000
	if [ "$code" != 200 ]; then
		diag "server_rule '$1' '$2': HTTP $code $(cat "$T/.rule.out" 2>/dev/null)"
		return 1
	fi
	return 0
}

# shellcheck disable=SC2120 # the argument is optional
server_reset() {
	curl -sS --max-time 10 -o /dev/null "${1:-$SERVER_URL}/_reset"
}

# ---- setup and teardown ----------------------------------------------

_lib_exit() {
	local st=$? n=1
	while [ "$n" -le "$_srv_n" ]; do
		_srv_stop_one "$n" 1 TERM
		n=$((n + 1))
	done
	if [ -n "${KEEP_T-}" ]; then
		printf '# kept %s\n' "$T"
	else
		rm -rf "$T"
	fi
	exit "$st"
}

T=$(mktemp -d "${TMPDIR:-/tmp}/fptest-$(basename "$0" .sh).XXXXXX") ||
	BAIL_OUT "cannot make a temp dir"
export T
trap _lib_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
