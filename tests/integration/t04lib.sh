# tests/integration/t04lib.sh: helpers for the t04* reliability scripts.
# Sourced after tests/lib.sh; POSIX sh plus `local`, like it.
#
#   G                       the Gutenberg fixtures dir
#   U                       a regex for the fixture server's base URL
#   T04_SCALE               multiplier for the hang guards: 8 under an
#                           FP_WRAPPER such as valgrind, 2 for a sanitizer
#                           build, else 1
#   now_ms                  wall clock in ms (for hang guards only)
#   fp_child PID            pid of PID's child process (fetchpool under
#                           timeout); fails when there is none yet
#   fp_signal SIG [PID]     send SIG to the fetchpool of start_fp (or of
#                           bg_fp: PID=$BG_PID) itself, not to `timeout`,
#                           which passes a signal to its child and again
#                           to its whole process group: fetchpool would
#                           see two signals
#   bg_fp NAME ARGS...      start_fp with its own files $T/NAME.out and
#                           $T/NAME.err (or stdout to $BG_STDOUT); sets
#                           BG_PID;  bg_wait sets bg_rc
#   alive PID               PID exists and is not a zombie
#   job REPORT SOURCE KEY   print .KEY of the report's job from SOURCE
#   reqs STATS PATH FILTER  print jq FILTER for each logged request to
#                           PATH, one line each, in arrival order
#   is_prefix PART FULL     PART is non-empty and a prefix of FULL
#   list_file LINES...      write the lines to $T/list

G=$FIXTURES/gutenberg
U='http://127\.0\.0\.1:[0-9]+'

if [ -n "${FP_WRAPPER-}" ]; then
	: "${T04_SCALE:=8}"
elif grep -Eq '__(tsan|asan)_init' "$FETCHPOOL" 2>/dev/null; then
	: "${T04_SCALE:=2}" # a sanitizer build
else
	: "${T04_SCALE:=1}"
fi

require_cmd jq curl timeout

now_ms() {
	date +%s%3N
}

fp_child() {
	local f rest
	for f in /proc/[0-9]*/stat; do
		rest=$(sed -e 's/^.*) //' "$f" 2>/dev/null) || continue
		rest=${rest#* }
		if [ "${rest%% *}" = "$1" ]; then
			f=${f#/proc/}
			printf '%s\n' "${f%/stat}"
			return 0
		fi
	done
	return 1
}

alive() {
	_srv_alive "$1"
}

fp_signal() {
	local p
	p=$(fp_child "${2:-$FP_PID}") || {
		diag "fp_signal: no fetchpool under ${2:-$FP_PID}"
		return 1
	}
	kill -"$1" "$p"
}

bg_fp() {
	local n="$1"
	shift
	# shellcheck disable=SC2086 # FP_WRAPPER is a command line
	timeout -k 10 "${FP_TIMEOUT:-120}" ${FP_WRAPPER-} "$FETCHPOOL" "$@" \
		>"${BG_STDOUT:-$T/$n.out}" 2>"$T/$n.err" &
	BG_PID=$!
}

bg_wait() {
	bg_rc=0
	wait "$BG_PID" 2>/dev/null || bg_rc=$?
	return 0
}

job() {
	jq -r --arg s "$2" ".jobs[] | select(.source == \$s) | .$3" "$1"
}

reqs() {
	jq -r --arg p "$2" ".requests[] | select(.path == \$p) | $3" "$1"
}

is_prefix() {
	local n
	[ -s "$1" ] || return 1
	n=$(file_size "$1")
	cmp -n "$n" "$1" "$2"
}

list_file() {
	printf '%s\n' "$@" >"$T/list"
}
