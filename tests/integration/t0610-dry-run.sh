#!/bin/sh
# --dry-run: parse and plan, print "URL -> DIR/NAME" per job in list order
# with the names a real run uses, report invalid lines, fetch nothing, make
# and lock no directory. gdp --dry-run: "URL -> WHAT" per first request.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

server_start --gutenberg "$FIXTURES/gutenberg" --worldbank "$FIXTURES/worldbank" \
	--root "$FIXTURES/tree"
M=$SERVER_URL

cat >"$T/list" <<LIST
# comment
1342 Pride and Prejudice
$M/cache/epub/2600/pg2600.txt
  priority=1
$M/hello.txt
$M/hello.txt?again
$M/sub/dir/deep.txt
$M/
2600
  out=war.txt
ftp://example.org/x.txt
$M/hello%2Etxt
1661
  colour red
LIST

run_fp --mirror "$M" -o "$T/dl" --dry-run "$T/list"
is "exit 1: the list has invalid lines" "$rc" 1
cat >"$T/want" <<WANT
$M/cache/epub/1342/pg1342.txt -> $T/dl/pg1342.txt
$M/cache/epub/2600/pg2600.txt -> $T/dl/pg2600.txt
$M/hello.txt -> $T/dl/hello.txt
$M/hello.txt?again -> $T/dl/hello.1.txt
$M/sub/dir/deep.txt -> $T/dl/deep.txt
$M/ -> $T/dl/index.html
$M/cache/epub/2600/pg2600.txt -> $T/dl/war.txt
$M/hello%2Etxt -> $T/dl/hello.2.txt
WANT
is "the plan: list order, names as a real run gives them" \
	"$(diff "$T/want" "$T/out")" ""
like "invalid scheme reported with its line" "$(cat "$T/err")" \
	"^$T/list:11: "
like "invalid option line reported with its line" "$(cat "$T/err")" \
	"^$T/list:14: "
is "two lines on stderr, no summary" "$(wc -l <"$T/err" | tr -d ' ')" 2
is "nothing was fetched" "$(server_stats | jq '.total_requests')" 0
ok "no output directory made" test ! -e "$T/dl"

# A real run writes exactly the planned files.
grep -v -e '^ftp:' -e colour -e '^1661' "$T/list" >"$T/good"
run_fp --mirror "$M" -o "$T/dl" --dry-run "$T/good"
is "valid list: exit 0" "$rc" 0
cp "$T/out" "$T/plan"
run_fp --mirror "$M" -o "$T/dl" -q "$T/good"
is "the real run: exit 0" "$rc" 0
is "the real run wrote the planned names" \
	"$(find "$T/dl" -type f ! -name '.*' | sed 's|.*/||' | sort)" \
	"$(sed 's|.*/||' "$T/plan" | sort)"

# A held lock does not stop a dry run (it takes none), nor does an
# unreachable --mirror (nothing is fetched).
mkdir -p "$T/locked"
if command -v flock >/dev/null 2>&1; then
	rc=0
	flock "$T/locked/.fetchpool.lock" timeout 60 "$FETCHPOOL" \
		--mirror http://127.0.0.1:9 -o "$T/locked" --dry-run books - \
		<"$T/good" >"$T/out" 2>"$T/err" || rc=$?
	is "lock held, standard input: exit 0" "$rc" 0
else
	run_fp --mirror http://127.0.0.1:9 -o "$T/locked" --dry-run books - \
		<"$T/good"
	is "standard input: exit 0" "$rc" 0
fi
is "standard input: same plan" \
	"$(sed "s|$T/locked|$T/dl|; s|http://127.0.0.1:9/cache|$M/cache|" "$T/out")" \
	"$(cat "$T/plan")"

# gdp: the first requests, nothing fetched.
server_reset
run_fp --api-url "$M/v2" --dry-run gdp --year 2019 afg US
is "gdp --dry-run: exit 0" "$rc" 0
is "gdp --dry-run: three requests" "$(wc -l <"$T/out" | tr -d ' ')" 3
like "gdp --dry-run: country list" "$(cat "$T/out")" \
	"^$M/v2/country\?.*-> country list"
like "gdp --dry-run: AFG" "$(cat "$T/out")" \
	"^$M/v2/country/AFG/indicator/NY\.GDP\.MKTP\.CD\?.*date=2019.* -> AFG$"
like "gdp --dry-run: US" "$(cat "$T/out")" "^$M/v2/country/US/.* -> US$"
run_fp --api-url "$M/v2" --dry-run gdp --format xml
like "gdp --dry-run all economies: page 1" "$(cat "$T/out")" \
	"^$M/v2/country/all/indicator/NY\.GDP\.MKTP\.CD\?.*format=xml.* -> all economies, page 1"
is "gdp --dry-run: nothing was fetched" "$(server_stats | jq '.total_requests')" 0

done_testing
