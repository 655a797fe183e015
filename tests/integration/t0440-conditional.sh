#!/bin/sh
# Reruns over finished files: conditional requests (If-None-Match from the
# remembered ETag, If-Modified-Since from the file's mtime), 304 means "Up
# to date" and the file is not touched; a file changed on the server is
# fetched again and replaced whole.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

mkdir "$T/www"
printf 'first version\n' >"$T/www/notes.txt"
touch -d '2020-01-02 03:04:05 UTC' "$T/www/notes.txt"
server_start --gutenberg "$G" --root "$T/www"
P1342=/cache/epub/1342/pg1342.txt
P1661=/cache/epub/1661/pg1661.txt
etag_of() {
	curl -sSI "$SERVER_URL$1" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}
ident() { # inode, mtime, size and hash of a file
	printf '%s %s\n' "$(stat -c '%i %Y %s' "$1")" "$(sha256_of "$1")"
}

list_file "1342 Pride and Prejudice" "1661 Sherlock Holmes" \
	"$SERVER_URL/notes.txt Notes"
run_fp --mirror "$SERVER_URL" -o "$T/dl" books "$T/list"
is "first run: exit 0" "$rc" 0
ok "pg1342.txt byte-identical" cmp "$T/dl/pg1342.txt" "$G/pg1342.txt"
is "mtime set from Last-Modified" "$(stat -c %Y "$T/dl/pg1342.txt")" \
	"$(stat -c %Y "$G/pg1342.txt")"
a=$(ident "$T/dl/pg1342.txt")
b=$(ident "$T/dl/pg1661.txt")

# ---- rerun: everything up to date ----------------------------------------
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dl" --report "$T/r.json" books "$T/list"
server_stats >"$T/s.json"
is "rerun: exit 0" "$rc" 0
like "rerun: Up to date: Pride and Prejudice" "$(cat "$T/out")" \
	"^Up to date: Pride and Prejudice$"
like "rerun: Up to date: Sherlock Holmes" "$(cat "$T/out")" \
	"^Up to date: Sherlock Holmes$"
like "rerun: Up to date: Notes" "$(cat "$T/out")" "^Up to date: Notes$"
unlike "rerun: nothing finished downloading" "$(cat "$T/out")" "^Finished"
is "rerun: report statuses" \
	"$(jq -r '[.jobs[].status] | unique | join(",")' "$T/r.json")" \
	up_to_date
is "rerun: report http_status 304, 0 bytes" \
	"$(jq -r '[.jobs[] | "\(.http_status)/\(.bytes)"] | unique | join(",")' \
		"$T/r.json")" "304/0"
is "rerun: pg1342.txt untouched (inode, mtime, size, hash)" \
	"$(ident "$T/dl/pg1342.txt")" "$a"
is "rerun: pg1661.txt untouched" "$(ident "$T/dl/pg1661.txt")" "$b"
is "server: answered 304 to every request" \
	"$(jq -r '[.requests[].status] | unique | join(",")' "$T/s.json")" 304
is "server: one request per job" "$(jq '.requests | length' "$T/s.json")" 3
e1342=$(etag_of "$P1342")
is "server: If-None-Match carried the ETag" \
	"$(reqs "$T/s.json" "$P1342" .if_none_match)" "$e1342"
is "server: If-Modified-Since is the Last-Modified date" \
	"$(reqs "$T/s.json" "$P1342" .if_modified_since)" \
	"$(curl -sSI "$SERVER_URL$P1342" | tr -d '\r' |
		sed -n 's/^[Ll]ast-[Mm]odified: //p')"
is "server: Sherlock asked with If-None-Match too" \
	"$(reqs "$T/s.json" "$P1661" .if_none_match)" "$(etag_of "$P1661")"
is "server: no range asked for finished files" \
	"$(jq -r '[.requests[].range] | unique | join(",")' "$T/s.json")" ""

# ---- changed on the server: fetched again, replaced --------------------
old_etag=$(etag_of /notes.txt)
printf 'second version, longer\n' >"$T/www/notes.txt"
touch -d '2021-01-02 03:04:05 UTC' "$T/www/notes.txt"
server_reset
list_file "$SERVER_URL/notes.txt Notes"
run_fp -o "$T/dl" --report "$T/r3.json" books "$T/list"
server_stats >"$T/s3.json"
is "changed file: exit 0" "$rc" 0
like "changed file: downloaded again" "$(cat "$T/out")" \
	"^Finished downloading Notes$"
is "changed file: asked with the old validators" \
	"$(reqs "$T/s3.json" /notes.txt '"\(.if_none_match) \(.status)"')" \
	"$old_etag 200"
ok "changed file: new content" cmp "$T/dl/notes.txt" "$T/www/notes.txt"
is "changed file: new mtime" "$(stat -c %Y "$T/dl/notes.txt")" \
	"$(stat -c %Y "$T/www/notes.txt")"
is "changed file: report ok" \
	"$(job "$T/r3.json" "$SERVER_URL/notes.txt" status)" ok

# A run of other jobs keeps the validators of files it did not touch.
server_reset
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl" books "$T/list"
server_stats >"$T/s4.json"
is "after a run of other jobs: still If-None-Match, 304" \
	"$(reqs "$T/s4.json" "$P1342" '"\(.if_none_match) \(.status)"')" \
	"$e1342 304"

# ---- without the state file: If-Modified-Since alone -----------------
rm -f "$T/dl/.fetchpool.state"
server_reset
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl" books "$T/list"
server_stats >"$T/s2.json"
is "no state file: exit 0" "$rc" 0
like "no state file: still up to date" "$(cat "$T/out")" \
	"^Up to date: Pride and Prejudice$"
is "no state file: If-Modified-Since only" \
	"$(reqs "$T/s2.json" "$P1342" \
		'"\(.if_none_match) \(.if_modified_since != null) \(.status)"')" \
	"null true 304"
is "no state file: file untouched" "$(ident "$T/dl/pg1342.txt")" "$a"

done_testing
