#!/bin/sh
# Hostile answers: a redirect to file:// (or another scheme) fails that job
# and reads nothing local; --max-size fails a bigger file, leaves no file,
# cuts an endless body, and counts the bytes of a resumed .part.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G" --root "$FIXTURES/tree"
P1342=/cache/epub/1342/pg1342.txt
P1661=/cache/epub/1661/pg1661.txt
bound=$((20000 * T04_SCALE))

# ---- redirects to other schemes ---------------------------------------
server_rule "$P1342" "redirect=file:///etc/passwd" || BAIL_OUT "rule refused"
server_rule "$P1661" "redirect=ftp://127.0.0.1:1/pg1661.txt" ||
	BAIL_OUT "rule refused"
server_rule /hello.txt "redirect=$SERVER_URL/sub/dir/deep.txt" ||
	BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice" "1661 Sherlock Holmes" \
	"1080 Modest Proposal" "$SERVER_URL/hello.txt Hello"
run_fp --mirror "$SERVER_URL" -o "$T/dl" --retries 3 --report "$T/r.json" \
	books "$T/list"
server_stats >"$T/s.json"
is "redirects elsewhere: exit 1" "$rc" 1
is "file:// redirect: failed" "$(job "$T/r.json" 1342 status)" failed
is "file:// redirect: not retried" "$(job "$T/r.json" 1342 attempts)" 1
is "server: asked once" "$(reqs "$T/s.json" "$P1342" .status)" 302
like "file:// redirect: the error names the refused target" \
	"$(job "$T/r.json" 1342 error)" \
	"^redirect to 'file:///etc/passwd' refused: only http and https are \
allowed \($U$P1342\)$"
like "file:// redirect: on stderr too" "$(cat "$T/err")" \
	"^Failed downloading Pride and Prejudice: redirect to \
'file:///etc/passwd' refused"
is "ftp:// redirect: failed" "$(job "$T/r.json" 1661 status)" failed
like "ftp:// redirect: the error names the refused target" \
	"$(job "$T/r.json" 1661 error)" \
	"^redirect to 'ftp://127\.0\.0\.1:1/pg1661\.txt' refused"
ok "no pg1342.txt or .part" sh -c \
	"[ ! -e '$T/dl/pg1342.txt' ] && [ ! -e '$T/dl/pg1342.txt.part' ]"
ok "no pg1661.txt or .part" sh -c \
	"[ ! -e '$T/dl/pg1661.txt' ] && [ ! -e '$T/dl/pg1661.txt.part' ]"
ok "nothing from /etc/passwd in the output dir" sh -c \
	"! grep -rqF '$(head -n 1 /etc/passwd)' '$T/dl'"
ok "nothing from /etc/passwd in the report" sh -c \
	"! grep -qF '$(head -n 1 /etc/passwd)' '$T/r.json'"
ok "the other book is fine" cmp "$T/dl/pg1080.txt" "$G/pg1080.txt"
# An http redirect is followed; the name comes from the list's URL.
ok "http redirect followed, saved under the list's name" cmp \
	"$T/dl/hello.txt" "$FIXTURES/tree/sub/dir/deep.txt"

# ---- --max-size ---------------------------------------------------------
server_reset
server_rule /endless "endless" || BAIL_OUT "rule refused"
list_file "$SERVER_URL/hello.txt Hello" "$SERVER_URL/data/blob.bin Blob" \
	"$SERVER_URL/data/numbers.csv Numbers" "$SERVER_URL/endless Endless"
t0=$(now_ms)
run_fp -o "$T/dl2" --max-size 1K --retries 3 --report "$T/r2.json" \
	books "$T/list"
took=$(($(now_ms) - t0))
server_stats >"$T/s2.json"
is "--max-size 1K: exit 1" "$rc" 1
ok "--max-size 1K: the endless body was cut ($took ms)" \
	test "$took" -lt "$bound"
ok "--max-size 1K: a 29-byte file passes" cmp "$T/dl2/hello.txt" \
	"$FIXTURES/tree/hello.txt"
for n in blob.bin numbers.csv endless; do
	src=$SERVER_URL/$([ "$n" = endless ] || printf 'data/')$n
	is "--max-size 1K: $n failed" "$(job "$T/r2.json" "$src" status)" failed
	like "--max-size 1K: $n error says so" \
		"$(job "$T/r2.json" "$src" error)" \
		"^body larger than 1024 bytes \("
	is "--max-size 1K: $n not retried" \
		"$(job "$T/r2.json" "$src" attempts)" 1
	ok "--max-size 1K: no $n, no $n.part" sh -c \
		"[ ! -e '$T/dl2/$n' ] && [ ! -e '$T/dl2/$n.part' ]"
done
like "--max-size 1K: stderr names the file" "$(cat "$T/err")" \
	"^Failed downloading Endless: body larger than 1024 bytes \($U/endless\)$"
is "--max-size 1K: one request per big file" \
	"$(jq '[.requests[] | select(.path != "/hello.txt")] | length' \
		"$T/s2.json")" 3

# Exactly at the limit is allowed.
list_file "$SERVER_URL/data/blob.bin Blob"
run_fp -o "$T/dl3" --max-size 4096 books "$T/list"
is "--max-size equal to the size: exit 0" "$rc" 0
ok "--max-size equal to the size: saved" cmp "$T/dl3/blob.bin" \
	"$FIXTURES/tree/data/blob.bin"

# A resumed body counts what the .part holds: 700000 kept + 72419 more is
# over 750K (768000) although the rest alone is not.
server_reset
server_rule "$P1342" "truncate=700000" || BAIL_OUT "rule refused"
list_file "1342 Pride and Prejudice"
run_fp --mirror "$SERVER_URL" -o "$T/dl4" --retries 0 books "$T/list"
is "truncated at 700000: exit 1" "$rc" 1
is "truncated at 700000: .part" "$(file_size "$T/dl4/pg1342.txt.part")" 700000
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/dl4" --max-size 750K \
	--report "$T/r4.json" books "$T/list"
server_stats >"$T/s4.json"
is "resumed over --max-size: the request was a resume" \
	"$(reqs "$T/s4.json" "$P1342" .range)" "bytes=700000-"
is "resumed over --max-size: exit 1" "$rc" 1
like "resumed over --max-size: failed as too big" \
	"$(job "$T/r4.json" 1342 error)" "^body larger than 768000 bytes"
ok "resumed over --max-size: no pg1342.txt" test ! -e "$T/dl4/pg1342.txt"
ok "resumed over --max-size: the .part is dropped" \
	test ! -e "$T/dl4/pg1342.txt.part"

done_testing
