#!/bin/sh
# Options checked where they take effect: the User-Agent the
# server saw (default fetchpool/VERSION, VERSION read from configure.ac,
# and --user-agent); --timeout ends an attempt on a slow body; a connect
# that never completes ends at --connect-timeout (t05rawserver --blackhole
# fills its accept queue, so the kernel drops our SYN, on loopback); and
# --fsync syncs the file and its directory (strace), producing the same
# files. Time bounds are generous and only catch hangs or a limit that
# was not applied.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"
require_cmd strace

RAWSERVER=${RAWSERVER:-$(cd "$(dirname "$FETCHPOOL")/.." && pwd)/tests/integration/t05rawserver}
[ -x "$RAWSERVER" ] || BAIL_OUT "t05rawserver not built: $RAWSERVER"

mkdir "$T/www"
cp "$G/pg1342.txt" "$T/www/a.txt"
cp "$G/pg1661.txt" "$T/www/b.txt"
head -c 20000 "$G/pg1342.txt" >"$T/www/slow.txt"
server_start --root "$T/www"

# ---- User-Agent ----------------------------------------------------------
version=$(sed -n 's/^AC_INIT(\[fetchpool\], *\[\([^]]*\)\].*/\1/p' "$TOP_SRCDIR/configure.ac")
isnt "the version is read from configure.ac" "$version" ""
list_file "$SERVER_URL/a.txt"
run_fp -o "$T/ua1" books "$T/list"
is "default user agent: exit 0" "$rc" 0
is "default user agent at the server: fetchpool/$version" \
	"$(server_stats | jq -r '.requests[] | select(.path == "/a.txt") | .user_agent')" \
	"fetchpool/$version"
server_reset
run_fp -o "$T/ua2" --user-agent 'test-agent/9.9 (custom; x)' books "$T/list"
is "--user-agent: exit 0" "$rc" 0
is "--user-agent at the server, exactly" \
	"$(server_stats | jq -r '.requests[] | select(.path == "/a.txt") | .user_agent')" \
	'test-agent/9.9 (custom; x)'

# ---- --timeout on a slow body ----------------------------------------------
# 20000 bytes at 2000 B/s take 10 s; --timeout 1 ends the attempt after
# about 1 s. Without the limit the file would arrive whole (exit 0).
server_reset
server_rule /slow.txt "drip=2000" || BAIL_OUT "rule refused"
list_file "$SERVER_URL/slow.txt"
t0=$(now_ms)
run_fp -o "$T/to" --timeout 1 --retries 0 --report "$T/to.json" books "$T/list"
took=$(($(now_ms) - t0))
is "--timeout 1, slow body: exit 1" "$rc" 1
is "  the job failed" "$(job "$T/to.json" "$SERVER_URL/slow.txt" status)" failed
like "  as a timeout" "$(job "$T/to.json" "$SERVER_URL/slow.txt" error)" \
	'[Tt]imed? ?out'
ok "  no final file" test ! -e "$T/to/slow.txt"
ok "  well before the body's 10 s (took $took ms)" \
	test "$took" -lt $((8000 * T04_SCALE))
ok "  not before 1 s" test "$took" -ge 900
# A timeout is transient: with --retries 1 there are two attempts.
server_reset
server_rule /slow.txt "drip=2000,drip=2000" || BAIL_OUT "rule refused"
run_fp -o "$T/to2" --timeout 1 --retries 1 --report "$T/to2.json" books "$T/list"
is "--timeout is transient: 2 attempts" \
	"$(job "$T/to2.json" "$SERVER_URL/slow.txt" attempts)" 2

# ---- --connect-timeout against a peer that never completes the handshake --
"$RAWSERVER" --blackhole --port-file "$T/bhport" </dev/null >"$T/bh.out" 2>&1 &
BH_PID=$!
trap 'st=$?; kill -TERM $BH_PID 2>/dev/null; wait $BH_PID 2>/dev/null; (exit $st); _lib_exit' EXIT
wait_until 10 test -s "$T/bhport" || BAIL_OUT "t05rawserver --blackhole did not start: $(cat "$T/bh.out")"
BH=http://127.0.0.1:$(cat "$T/bhport")
list_file "$BH/x.txt"
t0=$(now_ms)
# libcurl's own default is 300 s: FP_TIMEOUT ends a run that ignores ours.
FP_TIMEOUT=$((60 * T04_SCALE)) run_fp -o "$T/ct" --connect-timeout 1 \
	--retries 0 --report "$T/ct.json" books "$T/list"
took=$(($(now_ms) - t0))
is "--connect-timeout 1, no handshake: exit 1" "$rc" 1
err=$(job "$T/ct.json" "$BH/x.txt" error)
like "  a connect timeout" "$err" '(Connection timed out|Failed to connect).* after [0-9]+ m'
ms=$(printf '%s\n' "$err" | sed -n 's/.* after \([0-9]*\) m.*/\1/p')
ok "  libcurl gave up after 1 s, not the default 10 s (after ${ms:-?} ms)" \
	test "${ms:-0}" -ge 900 -a "${ms:-99999}" -lt 10000
ok "  the run did not hang (took $took ms)" test "$took" -lt $((30000 * T04_SCALE))
# The default (10 s) applies when the option is not given: the run ends,
# with the same kind of error, far before libcurl's own 300 s.
t0=$(now_ms)
FP_TIMEOUT=$((60 * T04_SCALE)) run_fp -o "$T/ct2" --retries 0 \
	--report "$T/ct2.json" books "$T/list"
took=$(($(now_ms) - t0))
ms=$(job "$T/ct2.json" "$BH/x.txt" error | sed -n 's/.* after \([0-9]*\) m.*/\1/p')
is "default connect timeout: exit 1" "$rc" 1
ok "  libcurl gave up after about 10 s (after ${ms:-?} ms)" \
	test "${ms:-0}" -ge 9000 -a "${ms:-99999}" -lt 20000
kill -TERM "$BH_PID" 2>/dev/null
wait "$BH_PID" 2>/dev/null

# ---- --fsync ---------------------------------------------------------------
# strace -y prints the path of every descriptor: the file is synced as
# NAME.part before the rename, the output dir after it. The state file
# syncs too, with or without --fsync: count the syncs of the dir.
server_reset
list_file "$SERVER_URL/a.txt" "$SERVER_URL/b.txt"
trace() { # trace NAME ARGS...: run fetchpool under strace
	local n=$1
	shift
	rc=0
	# LeakSanitizer cannot run under ptrace (it would fail the run in an
	# ASan build); the leak checks are the other tests' business.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	timeout -k 10 "${FP_TIMEOUT:-120}" strace -f -y -qq -o "$T/$n.strace" \
		-e trace=fsync,fdatasync,sync_file_range,syncfs "$FETCHPOOL" "$@" \
		>"$T/out" 2>"$T/err" || rc=$?
}
trace fs1 -o "$T/fs1" --fsync books "$T/list"
is "--fsync: exit 0" "$rc" 0
ok "--fsync: a.txt byte-identical" cmp "$T/fs1/a.txt" "$T/www/a.txt"
ok "--fsync: b.txt byte-identical" cmp "$T/fs1/b.txt" "$T/www/b.txt"
syncs() { # syncs STRACE PATH-REGEX: how many (f|fdata)syncs of the path
	# threads interleave: a call may show as "fsync(3</p> <unfinished ...>"
	grep -Ec "(fsync|fdatasync)\\([0-9]+<$2>(\\)| <unfinished)" "$1"
}
is "--fsync: a.txt.part synced once" "$(syncs "$T/fs1.strace" "$T/fs1/a\\.txt\\.part")" 1
is "--fsync: b.txt.part synced once" "$(syncs "$T/fs1.strace" "$T/fs1/b\\.txt\\.part")" 1
trace fs2 -o "$T/fs2" books "$T/list"
is "without --fsync: exit 0" "$rc" 0
is "without --fsync: no .part synced" \
	"$(syncs "$T/fs2.strace" "$T/fs2/[ab]\\.txt\\.part")" 0
d1=$(syncs "$T/fs1.strace" "$T/fs1")
d2=$(syncs "$T/fs2.strace" "$T/fs2")
ok "--fsync: the directory is synced once more per file ($d1 vs $d2 without)" \
	test "$d1" -ge $((d2 + 2))
done_testing
