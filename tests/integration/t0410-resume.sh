#!/bin/sh
# Cut transfers: a truncated body is retried and resumed with Range guarded
# by If-Range, a reset connection is retried, a failed run leaves a .part
# that the next run resumes, and a file changed on the server in between
# restarts whole.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

mkdir "$T/www"
cp "$G/pg1342.txt" "$T/www/book.txt"
touch -d '2020-01-02 03:04:05 UTC' "$T/www/book.txt"
server_start --gutenberg "$G" --root "$T/www"
P1342=/cache/epub/1342/pg1342.txt
P1661=/cache/epub/1661/pg1661.txt
etag_of() { # the ETag the server sends for PATH (asked after the stats)
	curl -sSI "$SERVER_URL$1" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}

# ---- truncated, then resumed in the same run; a reset retried ------------
server_rule "$P1342" "truncate=100000" || BAIL_OUT "rule refused"
server_rule "$P1661" "reset" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice" "1661 Sherlock Holmes"
run_fp --mirror "$SERVER_URL" -o "$T/dl" --retries 2 --report "$T/r.json" \
	books "$T/list"
server_stats >"$T/s.json"
is "truncated and reset bodies retried: exit 0" "$rc" 0
ok "pg1342.txt byte-identical" cmp "$T/dl/pg1342.txt" "$G/pg1342.txt"
ok "pg1661.txt byte-identical" cmp "$T/dl/pg1661.txt" "$G/pg1661.txt"
ok "no .part left" sh -c "! ls '$T/dl'/*.part"
is "report: 1342 ok in 2 attempts" \
	"$(job "$T/r.json" 1342 status) $(job "$T/r.json" 1342 attempts)" "ok 2"
is "report: 1661 ok in 2 attempts" \
	"$(job "$T/r.json" 1661 status) $(job "$T/r.json" 1661 attempts)" "ok 2"
is "report: 1342 bytes count both attempts" "$(job "$T/r.json" 1342 bytes)" \
	"$(file_size "$G/pg1342.txt")"
is "server: 1342 requests' ranges" \
	"$(reqs "$T/s.json" "$P1342" '.range // "-"' | tr '\n' ' ')" \
	"- bytes=100000- "
is "server: 1661 answered reset, then 200" \
	"$(reqs "$T/s.json" "$P1661" .status | tr '\n' ' ')" "0 200 "
is "server: the retry after a reset asks for the whole body" \
	"$(reqs "$T/s.json" "$P1661" '.range // "-"' | tr '\n' ' ')" "- - "
etag=$(etag_of "$P1342")
isnt "the server sends an ETag" "$etag" ""
is "the resume is guarded by If-Range with the ETag" \
	"$(reqs "$T/s.json" "$P1342" '.if_range // "-"' | tr '\n' ' ')" \
	"- $etag "

# ---- a failed run leaves a .part; the next run resumes it ----------------
server_reset
server_rule "$P1342" "truncate=200000" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl2" --retries 0 --report "$T/r2.json" \
	books "$T/list"
is "truncated with --retries 0: exit 1" "$rc" 1
is "report: failed" "$(job "$T/r2.json" 1342 status)" failed
like "report: error says the transfer was cut" \
	"$(job "$T/r2.json" 1342 error)" \
	"^[^(]+ after 1 attempt \($U$P1342\)$"
ok "no pg1342.txt" test ! -e "$T/dl2/pg1342.txt"
is ".part holds the 200000 bytes received" \
	"$(file_size "$T/dl2/pg1342.txt.part")" 200000
ok ".part is a prefix of the book" is_prefix "$T/dl2/pg1342.txt.part" \
	"$G/pg1342.txt"
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dl2" --report "$T/r2.json" \
	books "$T/list"
server_stats >"$T/s2.json"
is "the next run: exit 0" "$rc" 0
ok "pg1342.txt byte-identical" cmp "$T/dl2/pg1342.txt" "$G/pg1342.txt"
ok "no .part left" test ! -e "$T/dl2/pg1342.txt.part"
is "it asked for the rest only" "$(reqs "$T/s2.json" "$P1342" .range)" \
	"bytes=200000-"
is "guarded by the ETag remembered from the failed run" \
	"$(reqs "$T/s2.json" "$P1342" .if_range)" "$etag"
is "and got 206" "$(reqs "$T/s2.json" "$P1342" .status)" 206
is "report: bytes of this run" "$(job "$T/r2.json" 1342 bytes)" \
	$(($(file_size "$G/pg1342.txt") - 200000))

# ---- a .part longer than the file: 416, then the whole body --------------
# (a file that shrank on the server under the same validators, or a .part
# that grew by mistake). Starting over costs no retry.
server_reset
server_rule "$P1342" "truncate=100000" || BAIL_OUT "rule refused"
run_fp --mirror "$SERVER_URL" -o "$T/dl5" --retries 0 books "$T/list"
head -c 900000 /dev/zero >>"$T/dl5/pg1342.txt.part"
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dl5" --retries 0 -v \
	--report "$T/r5.json" books "$T/list"
server_stats >"$T/s5.json"
is "overlong .part: exit 0 even with --retries 0" "$rc" 0
is "overlong .part: 416 to the range, then 200 to the whole" \
	"$(reqs "$T/s5.json" "$P1342" '"\(.range) \(.status)"' | tr '\n' ' ')" \
	"bytes=1000000- 416 null 200 "
ok "overlong .part: pg1342.txt byte-identical" cmp "$T/dl5/pg1342.txt" \
	"$G/pg1342.txt"
ok "overlong .part: no .part left" test ! -e "$T/dl5/pg1342.txt.part"
is "overlong .part: report: 2 attempts" "$(job "$T/r5.json" 1342 attempts)" 2

# ---- the file changed on the server: If-Range fails, restart whole ------
server_reset
server_rule /book.txt "truncate=50000" || BAIL_OUT "rule refused"
list_file "$SERVER_URL/book.txt Book"
run_fp -o "$T/dl3" --retries 0 books "$T/list"
is "truncated: exit 1" "$rc" 1
is ".part holds 50000 bytes" "$(file_size "$T/dl3/book.txt.part")" 50000
old_etag=$(etag_of /book.txt)
cp "$G/pg1661.txt" "$T/www/book.txt"
touch -d '2021-01-02 03:04:05 UTC' "$T/www/book.txt"
new_etag=$(etag_of /book.txt)
isnt "the ETag changed with the file" "$new_etag" "$old_etag"
server_reset
run_fp -o "$T/dl3" --report "$T/r3.json" books "$T/list"
server_stats >"$T/s3.json"
is "changed file: exit 0" "$rc" 0
is "resume asked with the old validator" \
	"$(reqs "$T/s3.json" /book.txt '"\(.range) \(.if_range)"')" \
	"bytes=50000- $old_etag"
is "the server sent the whole new file" \
	"$(reqs "$T/s3.json" /book.txt .status)" 200
ok "book.txt is the new file, not a splice" cmp "$T/dl3/book.txt" \
	"$G/pg1661.txt"
ok "no .part left" test ! -e "$T/dl3/book.txt.part"
is "mtime from Last-Modified" "$(stat -c %Y "$T/dl3/book.txt")" \
	"$(stat -c %Y "$T/www/book.txt")"

done_testing
