#!/bin/sh
# books end to end: byte-identical files, titles from RDF, event lines,
# report fields, mtime from Last-Modified, standard input, rerun -> 304.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq cmp

G="$FIXTURES/gutenberg"
server_start --gutenberg "$G"

cat >"$T/list" <<LIST
# books for the test
2600
1342 Pride and Prejudice
1661
  out=sherlock.txt
$SERVER_URL/cache/epub/120/pg120.txt Treasure Island
LIST

run_fp --mirror "$SERVER_URL" -j 2 -o "$T/dl" --report "$T/report.json" "$T/list"
is "exit status 0" "$rc" 0
ok "War and Peace byte-identical" cmp "$G/pg2600.txt" "$T/dl/pg2600.txt"
ok "Pride and Prejudice byte-identical" cmp "$G/pg1342.txt" "$T/dl/pg1342.txt"
ok "out= names the file" cmp "$G/pg1661.txt" "$T/dl/sherlock.txt"
ok "URL job saved under its last segment" cmp "$G/pg120.txt" "$T/dl/pg120.txt"
is "no .part left" "$(ls "$T/dl" | grep -c '\.part$')" 0

out=$(cat "$T/out")
like "title read from the RDF" "$out" '^Downloading War and Peace\.\.\.$'
like "finished line" "$out" '^Finished downloading War and Peace$'
like "title from the line" "$out" '^Finished downloading Pride and Prejudice$'
like "RDF title for an out= job" "$out" '^Finished downloading The Adventures of Sherlock Holmes$'
like "URL job with a title" "$out" '^Finished downloading Treasure Island$'
like "summary on stderr" "$(cat "$T/err")" '4 downloaded, 0 up to date, 0 failed'
is "mtime from Last-Modified" "$(stat -c %Y "$T/dl/pg2600.txt")" "$(stat -c %Y "$G/pg2600.txt")"

r="$T/report.json"
is "report version" "$(jq .version "$r")" 1
is "report has 4 jobs" "$(jq '.jobs | length' "$r")" 4
is "all ok" "$(jq -r '[.jobs[].status] | unique | join(",")' "$r")" ok
is "report title" "$(jq -r '.jobs[] | select(.source == "2600") | .title' "$r")" "War and Peace"
is "report bytes" "$(jq -r '.jobs[] | select(.source == "2600") | .bytes' "$r")" "$(file_size "$G/pg2600.txt")"
is "report http_status" "$(jq -r '.jobs[] | select(.source == "2600") | .http_status' "$r")" 200
is "report attempts" "$(jq -r '.jobs[] | select(.source == "1661") | .attempts' "$r")" 1
is "report path" "$(jq -r '.jobs[] | select(.source == "1661") | .path' "$r")" "$T/dl/sherlock.txt"
is "report line" "$(jq -r '.jobs[] | select(.source == "1661") | .line' "$r")" 4
is "report error null" "$(jq -r '[.jobs[].error] | unique | join(",")' "$r")" ""
like "report started is ISO 8601" "$(jq -r .started "$r")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
is "no report temp file" "$(ls "$T" | grep -c 'report.json.tmp')" 0

# Rerun: conditional requests, 304, files untouched.
ino=$(stat -c %i "$T/dl/pg2600.txt")
server_reset
run_fp --mirror "$SERVER_URL" -j 2 -o "$T/dl" "$T/list"
is "rerun exit 0" "$rc" 0
like "up to date line" "$(cat "$T/out")" '^Up to date: War and Peace$'
unlike "no Downloading line for a 304" "$(cat "$T/out")" '^Downloading'
like "rerun summary" "$(cat "$T/err")" '0 downloaded, 4 up to date'
is "same inode" "$(stat -c %i "$T/dl/pg2600.txt")" "$ino"
stats=$(server_stats)
is "server answered 304 for every text" \
	"$(echo "$stats" | jq '[.requests[] | select(.path | endswith(".txt")) | .status] | unique | join(",")' )" '"304"'
like "If-None-Match sent" \
	"$(echo "$stats" | jq -r '.requests[] | select(.path == "/cache/epub/2600/pg2600.txt") | .if_none_match')" '^".+"$'
like "If-Modified-Since sent" \
	"$(echo "$stats" | jq -r '.requests[] | select(.path == "/cache/epub/2600/pg2600.txt") | .if_modified_since')" 'GMT$'

# Standard input, -q: silent on success.
printf '1080\n7256 The Gift of the Magi\n' >"$T/list2"
run_fp --mirror "$SERVER_URL" -q -o "$T/dl2" books - <"$T/list2"
is "stdin exit 0" "$rc" 0
ok "stdin job 1080" cmp "$G/pg1080.txt" "$T/dl2/pg1080.txt"
ok "stdin job 7256" cmp "$G/pg7256.txt" "$T/dl2/pg7256.txt"
is "-q prints nothing on stdout" "$(cat "$T/out")" ""
is "-q prints nothing on stderr" "$(cat "$T/err")" ""

# A missing RDF falls back to "book ID"; a missing text fails, exit 1.
printf '424242\n844\n' >"$T/list3"
run_fp --mirror "$SERVER_URL" -o "$T/dl3" "$T/list3"
is "a failure gives exit 1" "$rc" 1
like "fallback title" "$(cat "$T/err")" '^Failed downloading book 424242: HTTP 404 Not Found \(http://127\.0\.0\.1:[0-9]+/cache/epub/424242/pg424242\.txt, and 3 other URLs\)$'
ok "the other job still ran" cmp "$G/pg844.txt" "$T/dl3/pg844.txt"
unlike "no Downloading line for a 404" "$(cat "$T/out")" '^Downloading book 424242'
done_testing
