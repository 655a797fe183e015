#!/bin/sh
# sha256=: a matching body is published; a mismatching one fails
# the job permanently with "checksum mismatch", exit 1, no NAME, and its
# NAME.part is deleted (a body that fails its checksum is never worth
# resuming). On a resumed .part the hash covers the bytes already on disk.
# Resume without a validator: a .part whose ETag/Last-Modified is
# not known restarts whole; never a Range request, never a splice.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

mkdir "$T/www"
cp "$G/pg1342.txt" "$T/www/good.txt"
cp "$G/pg1661.txt" "$T/www/bad.txt"
server_start --root "$T/www"
good_sum=$(sha256_of "$T/www/good.txt")
bad_sum=$(sha256_of "$T/www/bad.txt")
wrong_sum=$(printf 'not the body\n' | sha256sum | cut -d' ' -f1)

# ---- a right and a wrong checksum in one run -----------------------------
list_file "$SERVER_URL/good.txt" "  sha256=$good_sum" \
	"$SERVER_URL/bad.txt" "  sha256=$wrong_sum"
run_fp -o "$T/dl" --retries 2 --report "$T/r.json" books "$T/list"
server_stats >"$T/s.json"
is "one checksum wrong: exit 1" "$rc" 1
ok "matching sha256: published byte-identical" \
	cmp "$T/dl/good.txt" "$T/www/good.txt"
is "matching sha256: report ok" "$(job "$T/r.json" "$SERVER_URL/good.txt" status)" ok
ok "wrong sha256: no final file" test ! -e "$T/dl/bad.txt"
ok "wrong sha256: the .part is deleted (never resumed)" \
	test ! -e "$T/dl/bad.txt.part"
is "wrong sha256: report failed" \
	"$(job "$T/r.json" "$SERVER_URL/bad.txt" status)" failed
want12=$(printf '%s' "$wrong_sum" | cut -c1-12)
got12=$(printf '%s' "$bad_sum" | cut -c1-12)
like "wrong sha256: the error names both hashes" \
	"$(job "$T/r.json" "$SERVER_URL/bad.txt" error)" \
	"^checksum mismatch: expected sha256 $want12\.\.\., got $got12\.\.\. \($U/bad\.txt\)\$"
like "wrong sha256: said on stderr" "$(cat "$T/err")" \
	"^Failed downloading bad\.txt: checksum mismatch"
is "wrong sha256: permanent, one attempt" \
	"$(job "$T/r.json" "$SERVER_URL/bad.txt" attempts)" 1
is "wrong sha256: one request at the server" \
	"$(reqs "$T/s.json" /bad.txt .status | tr '\n' ' ')" "200 "

# ---- sha256 over a resume in the same run --------------------------------
server_reset
server_rule /good.txt "truncate=150000" || BAIL_OUT "rule refused"
list_file "$SERVER_URL/good.txt" "  sha256=$good_sum"
run_fp -o "$T/dl2" --retries 1 --report "$T/r2.json" books "$T/list"
server_stats >"$T/s2.json"
is "truncated, resumed in the same run, sha256 right: exit 0" "$rc" 0
ok "  byte-identical" cmp "$T/dl2/good.txt" "$T/www/good.txt"
is "  the second attempt was a range request" \
	"$(reqs "$T/s2.json" /good.txt '.range // "-"' | tr '\n' ' ')" \
	"- bytes=150000- "

# ---- sha256 over a .part left by an earlier run --------------------------
server_reset
server_rule /good.txt "truncate=120000" || BAIL_OUT "rule refused"
run_fp -o "$T/dl3" --retries 0 books "$T/list"
is "a cut first run: exit 1" "$rc" 1
is "  it leaves 120000 bytes in the .part" \
	"$(file_size "$T/dl3/good.txt.part" 2>/dev/null)" 120000
cp "$T/dl3/good.txt.part" "$T/part-copy"
server_reset
run_fp -o "$T/dl3" --report "$T/r3.json" books "$T/list"
server_stats >"$T/s3.json"
is "the rerun resumes, sha256 right: exit 0" "$rc" 0
ok "  byte-identical" cmp "$T/dl3/good.txt" "$T/www/good.txt"
is "  only the rest was asked for" \
	"$(reqs "$T/s3.json" /good.txt '.range // "-"')" "bytes=120000-"
is "  and got 206" "$(reqs "$T/s3.json" /good.txt .status)" 206

# The same, with a .part whose prefix was damaged on disk (same length): the
# server sends the right rest, but the whole file no longer matches. Only a
# hash that covers the resumed prefix can tell.
mkdir -p "$T/dl4"
cp "$T/part-copy" "$T/dl4/good.txt.part"
cp "$T/dl3/.fetchpool.state" "$T/dl4/.fetchpool.state"
printf 'XXXX' | dd of="$T/dl4/good.txt.part" bs=1 seek=1000 conv=notrunc 2>/dev/null
server_reset
run_fp -o "$T/dl4" --report "$T/r4.json" books "$T/list"
server_stats >"$T/s4.json"
is "damaged resumed prefix: the server was asked for the rest only" \
	"$(reqs "$T/s4.json" /good.txt '.range // "-"')" "bytes=120000-"
is "damaged resumed prefix: exit 1" "$rc" 1
like "damaged resumed prefix: checksum mismatch" \
	"$(job "$T/r4.json" "$SERVER_URL/good.txt" error)" '^checksum mismatch: '
ok "damaged resumed prefix: no final file" test ! -e "$T/dl4/good.txt"
ok "damaged resumed prefix: no .part either" test ! -e "$T/dl4/good.txt.part"

# ---- resume without a validator: a server that sends none ----------------
# Old and new versions share no prefix, so a splice is easy to see.
mkdir "$T/nv"
cp "$G/pg1342.txt" "$T/nv/book.txt"
server_start --root "$T/nv" --no-validators
NV=$SERVER2_URL
server_rule /book.txt "truncate=100000" "$NV" || BAIL_OUT "rule refused"
list_file "$NV/book.txt"
run_fp -o "$T/nv-dl" --retries 0 books "$T/list"
is "no validators, cut run: exit 1" "$rc" 1
is "  a .part of 100000 bytes stays" \
	"$(file_size "$T/nv-dl/book.txt.part" 2>/dev/null)" 100000
# The file changes on the server (longer, so a range would be served).
cp "$G/pg1661.txt" "$T/nv/book.txt"
cat "$G/pg1342.txt" >>"$T/nv/book.txt"
server_reset "$NV"
run_fp -o "$T/nv-dl" --report "$T/nv.json" books "$T/list"
server_stats "$NV" >"$T/nv-s.json"
is "no validators, rerun: exit 0" "$rc" 0
ok "no validators: the result is the server's new file exactly" \
	cmp "$T/nv-dl/book.txt" "$T/nv/book.txt"
is "no validators: one request, no Range, no If-Range, 200" \
	"$(reqs "$T/nv-s.json" /book.txt '[.range, .if_range, .status] | map(tostring) | join(",")')" \
	"null,null,200"
ok "no validators: no .part left" test ! -e "$T/nv-dl/book.txt.part"

# ---- resume without a validator: the state file lost ---------------------
# The server sends validators, but the run that made the .part is gone
# from the state file (deleted): nothing can guard a Range request.
server_reset
server_rule /good.txt "truncate=100000" || BAIL_OUT "rule refused"
list_file "$SERVER_URL/good.txt"
run_fp -o "$T/ns-dl" --retries 0 books "$T/list"
is "state lost: the cut run exits 1" "$rc" 1
ok "  it recorded the part's validators" \
	grep -q 'good\.txt' "$T/ns-dl/.fetchpool.state"
rm -f "$T/ns-dl/.fetchpool.state"
# a new version on the server, longer than the part
cp "$G/pg1661.txt" "$T/www/good.txt"
cat "$G/pg1342.txt" >>"$T/www/good.txt"
server_reset
run_fp -o "$T/ns-dl" --report "$T/ns.json" books "$T/list"
server_stats >"$T/ns-s.json"
is "state lost, rerun: exit 0" "$rc" 0
ok "state lost: the result is the server's new file exactly" \
	cmp "$T/ns-dl/good.txt" "$T/www/good.txt"
is "state lost: no Range request, 200" \
	"$(reqs "$T/ns-s.json" /good.txt '[.range, .if_range, .status] | map(tostring) | join(",")')" \
	"null,null,200"
done_testing
