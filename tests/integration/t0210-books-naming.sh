#!/bin/sh
# File names from URLs: last segment as written, percent-decoded,
# sanitized; collisions get .1, .2 in file order; invalid lines reported
# as FILE:LINE: reason while the valid jobs run.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq cmp

tree="$T/tree"
mkdir -p "$tree/a" "$tree/b" "$tree/c" "$tree/d"
for d in a b c; do printf 'file in %s\n' "$d" >"$tree/$d/same.txt"; done
printf 'spaced\n' >"$tree/d/my book.txt"
printf 'dots\n' >"$tree/d/..%2F..%2Fx"
printf 'index\n' >"$tree/d/index.html"
server_start --root "$tree"
U="$SERVER_URL"

cat >"$T/list" <<LIST
$U/a/same.txt
$U/b/same.txt
$U/c/same.txt?query=1#frag
$U/d/my%20book.txt
$U/d/..%252F..%252Fx
ftp://example.org/file.txt
$U/a/same.txt
  out=../../escape.txt
$U/a/same.txt
  priority=9
$U/a/same.txt
  out=.hidden
https://user:secret@127.0.0.1:1/never.txt
  colour blue
$U/a/same.txt
  out=chosen.txt
LIST

run_fp -o "$T/dl" -j 2 --report "$T/r.json" "$T/list"
is "invalid lines give exit 1" "$rc" 1
ok "first keeps the name" cmp "$tree/a/same.txt" "$T/dl/same.txt"
ok "second gets .1" cmp "$tree/b/same.txt" "$T/dl/same.1.txt"
ok "third gets .2 (query ignored)" cmp "$tree/c/same.txt" "$T/dl/same.2.txt"
ok "percent-decoded name" cmp "$tree/d/my book.txt" "$T/dl/my book.txt"
ok "out= chosen" cmp "$tree/a/same.txt" "$T/dl/chosen.txt"
ok "encoded slashes stay in the name" sh -c "ls '$T/dl' | grep -q '^\.\._.\.\._x\$\|^__.*x\$\|x\$'"
ok "nothing outside the output dir" sh -c "! ls '$T' | grep -q escape"
ok "no hidden file made" sh -c "! ls -A '$T/dl' | grep -q '^\.hidden'"
err=$(cat "$T/err")
like "ftp rejected with its line" "$err" "^$T/list:6: .*scheme"
like "out=.. rejected" "$err" "^$T/list:8: .*out"
like "priority=9 rejected" "$err" "^$T/list:10: .*priority must be 1\.\.5"
like "hidden out= rejected" "$err" "^$T/list:12: .*out"
like "a line not key=value rejected" "$err" \
	"^$T/list:14: option must be key=value"
unlike "credentials never echoed" "$err" 'secret'
unlike "credentials not in the report" "$(cat "$T/r.json")" 'secret'
is "report counts invalid lines" "$(jq '.totals.invalid' "$T/r.json")" 5
like "summary counts them" "$err" '6 downloaded, 0 up to date, 0 failed, 0 cancelled, 5 invalid'

# Reruns give the same names.
rm -rf "$T/dl"
run_fp -o "$T/dl" -j 4 "$T/list"
ok "same names on a rerun" sh -c "test -f '$T/dl/same.1.txt' && test -f '$T/dl/same.2.txt'"
ok "rerun: .1 is still b" cmp "$tree/b/same.txt" "$T/dl/same.1.txt"

# A URL ending in / is saved as index.html.
printf '%s/d/\n' "$U" >"$T/list2"
run_fp -o "$T/dl2" "$T/list2"
ok "empty segment -> index.html" test -f "$T/dl2/index.html"
done_testing
