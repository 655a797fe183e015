#!/bin/sh
# A Gutenberg ID whose cache/epub/ID/pgID.txt answers 404 is asked for at
# files/ID/ID-0.txt, files/ID/ID.txt, then the classic mirror layout
# (1/3/4/1342/1342-0.txt), in that order; the report names the URL that
# served; other failures are retried on the same URL, not moved on.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq
G=$FIXTURES/gutenberg

server_start --gutenberg "$G"
paths() { server_stats | jq -r '[.requests[] | "\(.path) \(.status)"] | join(", ")'; }

# Book 11 has no cache/epub text on the fixture mirror, only files/11-0.txt.
list_file() { printf '%s\n' "$@" >"$T/list"; }
list_file "11 Alice"
run_fp --mirror "$SERVER_URL" -o "$T/dl" --report "$T/r.json" "$T/list"
is "files/ID/ID-0.txt: exit 0" "$rc" 0
ok "files/ID/ID-0.txt: pg11.txt is that file" cmp "$T/dl/pg11.txt" "$G/files/11-0.txt"
is "files/ID/ID-0.txt: the server saw the 404, then the fallback" "$(paths)" \
	"/cache/epub/11/pg11.txt 404, /files/11/11-0.txt 200"
like "files/ID/ID-0.txt: the report names the URL that served" \
	"$(jq -r '.jobs[0].url' "$T/r.json")" '/files/11/11-0\.txt$'

# A rerun asks conditionally, finds it at the same place: up to date.
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dl" "$T/list"
is "rerun: exit 0" "$rc" 0
like "rerun: up to date" "$(cat "$T/out")" '^Up to date: Alice$'
is "rerun: a 304 from the fallback" "$(paths)" \
	"/cache/epub/11/pg11.txt 404, /files/11/11-0.txt 304"

# A 503 is retried where it came from, not taken for "missing".
server_reset
server_rule /cache/epub/1342/pg1342.txt 503
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl2" "$T/list"
is "503: exit 0" "$rc" 0
is "503: retried on the same URL" "$(paths)" \
	"/cache/epub/1342/pg1342.txt 503, /cache/epub/1342/pg1342.txt 200"

# The classic layout, from a plain mirror tree: one folder per digit of
# the ID but the last.
mkdir -p "$T/tree/1/3/4/1342" "$T/tree/0/7"
cp "$G/pg1342.txt" "$T/tree/1/3/4/1342/1342-0.txt"
printf 'book seven\n' >"$T/tree/0/7/7-0.txt"
server_start --root "$T/tree"
list_file "1342 Pride and Prejudice" "7 Seven"
run_fp --mirror "$SERVER2_URL" -o "$T/dl3" -j 1 "$T/list"
is "classic layout: exit 0" "$rc" 0
ok "classic layout: pg1342.txt" cmp "$T/dl3/pg1342.txt" "$G/pg1342.txt"
is "classic layout: one-digit ID under 0/" "$(cat "$T/dl3/pg7.txt")" "book seven"
is "classic layout: the order of the places" \
	"$(server_stats "$SERVER2_URL" | jq -r '[.requests[] |
		select(.path | test("1342")) | .path] | join(" ")')" \
	"/cache/epub/1342/pg1342.txt /files/1342/1342-0.txt /files/1342/1342.txt /1/3/4/1342/1342-0.txt"
done_testing
