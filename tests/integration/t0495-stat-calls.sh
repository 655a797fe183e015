#!/bin/sh
# The path lookups a run makes per file (strace): a fresh run looks up
# NAME once (is there a file to ask for conditionally?) and NAME.part
# once (the save's check that NAME has no .part beside it, which the
# journal replay and the merge share), not once per reader. The check
# itself must stay: a test that it still happens is here too.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"
require_cmd strace

mkdir "$T/www"
for n in 1 2 3 4 5; do
	head -c $((n * 1000)) "$G/pg1342.txt" >"$T/www/f$n.txt"
done
server_start --root "$T/www"
list_file "$SERVER_URL/f1.txt" "$SERVER_URL/f2.txt" "$SERVER_URL/f3.txt" \
	"$SERVER_URL/f4.txt" "$SERVER_URL/f5.txt"

rc=0
# LeakSanitizer cannot run under ptrace; leaks are the other tests' job.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
timeout -k 10 "${FP_TIMEOUT:-120}" strace -f -qq -o "$T/run.strace" \
	-e trace=%stat,%lstat,%fstat "$FETCHPOOL" -j 2 -o "$T/dl" books "$T/list" \
	>"$T/out" 2>"$T/err" || rc=$?
is "exit 0" "$rc" 0
ok "the state file was saved" test -s "$T/dl/.fetchpool.state"
lookups() { # lookups NAME: path lookups of NAME in the trace
	# a call may show as 'newfstatat(4, "f1.txt" <unfinished ...>'
	grep -c "\"$1\"" "$T/run.strace"
}
for n in 1 2 3 4 5; do
	is "f$n.txt looked up once" "$(lookups "f$n.txt")" 1
	is "f$n.txt.part looked up once" "$(lookups "f$n.txt.part")" 1
done
done_testing
