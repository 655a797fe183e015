#!/bin/sh
# Command line: ranges checked before anything is fetched (exit 2, one line
# naming the option and its range), options before or after the command,
# --help, --version, unreadable FILE, unusable output dir.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

server_start --gutenberg "$FIXTURES/gutenberg"
printf '1342\n' >"$T/list"

bad() { # DESC EXPECTED-REGEX ARGS...
	desc=$1 re=$2
	shift 2
	run_fp --mirror "$SERVER_URL" -o "$T/dl" "$@"
	is "$desc: exit 2" "$rc" 2
	like "$desc: message" "$(cat "$T/err")" "$re"
	is "$desc: one line" "$(wc -l <"$T/err" | tr -d ' ')" 1
}
bad "-j 0" "--max-conc.*1\.\.1024" -j 0 "$T/list"
bad "-j abc" "--max-conc.*1\.\.1024" -j abc "$T/list"
bad "-j 1025" "--max-conc.*1\.\.1024" --max-conc 1025 "$T/list"
bad "--timeout -1" "--timeout.*86400" --timeout -1 "$T/list"
bad "--timeout 0" "--timeout.*86400" --timeout 0 "$T/list"
bad "--stall-timeout 90000" "--stall-timeout.*86400" --stall-timeout 90000 "$T/list"
bad "--retries x" "--retries.*0\.\.100" --retries x "$T/list"
bad "--max-size 0" "--max-size" --max-size 0 "$T/list"
bad "--shard 3/3" "--shard.*K/N" --shard 3/3 "$T/list"
bad "unknown option" "unknown option '--frobnicate'" --frobnicate "$T/list"
bad "gdp option with books" "gdp" --year 2019 "$T/list"
bad "gdp --output" "--output.*lines\|csv\|json" gdp --output xls
bad "gdp bad code" "invalid country code" gdp 'A$B'
is "nothing was fetched" "$(server_stats | jq '.requests | length')" 0
ok "no output dir made by usage errors" test ! -e "$T/dl"

run_fp --help
is "--help exit 0" "$rc" 0
for opt in max-conc output-dir timeout connect-timeout stall-timeout retries \
	deadline fail-fast delay report quiet verbose progress mirror api-url \
	user-agent insecure cacert max-size fsync dry-run shard year date \
	indicator format per-page sort output; do
	like "--help lists --$opt" "$(cat "$T/out")" "--$opt"
done
run_fp --version
like "--version" "$(cat "$T/out")" '^fetchpool [0-9]+\.[0-9]+'

run_fp --mirror "$SERVER_URL" -o "$T/dl" "$T/missing-list"
is "unreadable FILE: exit 2" "$rc" 2
like "unreadable FILE named" "$(cat "$T/err")" "cannot read '$T/missing-list'"

: >"$T/afile"
run_fp --mirror "$SERVER_URL" -o "$T/afile/sub" "$T/list"
is "unusable output dir: exit 2" "$rc" 2
like "output dir named" "$(cat "$T/err")" "output directory '$T/afile/sub'"

# Options after the command, and FILE without the command.
run_fp books "$T/list" --mirror "$SERVER_URL" -o "$T/dl" -q
is "options after the command" "$rc" 0
ok "file fetched" test -f "$T/dl/pg1342.txt"
rm -rf "$T/dl"
run_fp "$T/list" --mirror="$SERVER_URL" --output-dir="$T/dl" --quiet
is "FILE alone means books" "$rc" 0
ok "file fetched again" test -f "$T/dl/pg1342.txt"

# The environment supplies the mirror.
rm -rf "$T/dl"
FETCHPOOL_GUTENBERG_URL="$SERVER_URL" run_fp -o "$T/dl" -q "$T/list"
is "FETCHPOOL_GUTENBERG_URL" "$rc" 0
ok "fetched from the env mirror" test -f "$T/dl/pg1342.txt"

# --dry-run fetches nothing and says where files would go.
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dry" --dry-run "$T/list"
is "--dry-run exit 0" "$rc" 0
like "--dry-run plan" "$(cat "$T/out")" "pg1342\.txt -> $T/dry/pg1342\.txt$"
is "--dry-run made no request" "$(server_stats | jq '.requests | length')" 0
ok "--dry-run made no dir" test ! -e "$T/dry"
done_testing
