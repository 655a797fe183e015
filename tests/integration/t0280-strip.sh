#!/bin/sh
# --strip-headers and strip=yes|no: every real text the fixture server
# serves is published without its licence header and footer (each era of
# markers), the raw body never reaches the final name but is what
# sha256= and resume see; a rerun is "Up to date" by the raw body's
# validators; strip=no overrides the option; a text without markers is
# published unchanged with a warning.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

G=$FIXTURES/gutenberg
mkdir "$T/www"
printf 'just a note,\r\nno markers at all\r\n' >"$T/www/plain.txt"
server_start --gutenberg "$G" --root "$G/variants"

# kept FILE: no line of the licence left, CRLF kept.
kept() {
	! grep -qE 'PROJECT GUTENBERG EBOOK|SMALL PRINT|FULL LICENSE' "$1"
}

printf '%s\n' \
	"1342 Pride and Prejudice" "1661" "2600" "120" "844" "1080" "7256" \
	"$SERVER_URL/files/11/11-0.txt" "$SERVER_URL/files/1342/1342-0.txt" \
	"$SERVER_URL/alice30.txt" "$SERVER_URL/pandp10.txt" \
	"$SERVER_URL/pandp12.txt" "$SERVER_URL/pg1342-2023-04.txt" \
	>"$T/list"
run_fp --mirror "$SERVER_URL" -o "$T/dl" --strip-headers books "$T/list"
is "strip every text: exit 0" "$rc" 0
is "no warning" "$(cat "$T/err" | grep -c warning)" 0
for f in pg1342 pg1661 pg2600 pg120 pg844 pg1080 pg7256 11-0 1342-0 \
	alice30 pandp10 pandp12 pg1342-2023-04; do
	ok "$f: published" test -f "$T/dl/$f.txt"
	ok "$f: no licence left" kept "$T/dl/$f.txt"
	ok "$f: no .part left" test ! -e "$T/dl/$f.txt.part"
	ok "$f: no temporary left" test ! -e "$T/dl/$f.txt.strip.tmp"
done
is "pg2600: first line" "$(head -n 1 "$T/dl/pg2600.txt" | tr -d '\r')" \
	"WAR AND PEACE"
is "pg2600: last line" "$(tail -n 1 "$T/dl/pg2600.txt" | tr -d '\r')" \
	"conscious."
is "pandp10 (1990s small print): first line" \
	"$(head -n 1 "$T/dl/pandp10.txt" | tr -d '\r')" "Pride and Prejudice"
is "pandp12 (small print at the end): last line" \
	"$(tail -n 1 "$T/dl/pandp12.txt" | tr -d '\r')" "means of uniting them."
is "alice30 (no footer): last line" \
	"$(tail -n 1 "$T/dl/alice30.txt" | tr -d '\r' | sed 's/^ *//')" \
	"THE END"
ok "pg1342: the text is a piece of the raw one" \
	sh -c 'tail -c +920 "$2" | head -c "$(wc -c <"$1")" | cmp -s - "$1"' \
	sh "$T/dl/pg1342.txt" "$G/pg1342.txt"
is "mtime of a stripped file: the body's Last-Modified" \
	"$(stat -c %Y "$T/dl/pg1342.txt")" "$(stat -c %Y "$G/pg1342.txt")"
ok "validators of the raw body recorded" \
	grep -q "^pg1342.txt	" "$T/dl/.fetchpool.state"

# ---- rerun: up to date by the raw body's validators ----------------------
server_reset
before=$(stat -c '%i %Y %s' "$T/dl/pg2600.txt")
run_fp --mirror "$SERVER_URL" -o "$T/dl" --strip-headers books "$T/list"
is "rerun: exit 0" "$rc" 0
is "rerun: every job up to date" "$(grep -c '^Up to date: ' "$T/out")" 13
is "rerun: the server answered 304 to all" \
	"$(server_stats | jq -r '[.requests[] | select(.path | endswith(".txt"))
		| .status] | unique | join(",")')" 304
isnt "rerun: If-None-Match sent" \
	"$(server_stats | jq -r '[.requests[] |
		select(.path == "/cache/epub/2600/pg2600.txt")][0].if_none_match')" \
	null
is "rerun: pg2600.txt untouched" "$(stat -c '%i %Y %s' "$T/dl/pg2600.txt")" \
	"$before"

# ---- strip=no overrides --strip-headers; strip=yes without it ------------
printf '1342\n  strip=no\n1661\n' >"$T/list2"
run_fp --mirror "$SERVER_URL" -o "$T/dl2" --strip-headers books "$T/list2"
is "strip=no: exit 0" "$rc" 0
ok "strip=no: the raw text" cmp "$T/dl2/pg1342.txt" "$G/pg1342.txt"
ok "--strip-headers still strips the other job" kept "$T/dl2/pg1661.txt"
printf '1342\n  strip=yes\n1661\n' >"$T/list3"
run_fp --mirror "$SERVER_URL" -o "$T/dl3" books "$T/list3"
ok "strip=yes alone: stripped" kept "$T/dl3/pg1342.txt"
ok "no option: raw" cmp "$T/dl3/pg1661.txt" "$G/pg1661.txt"
printf '1342\n  strip=maybe\n1661\n' >"$T/list4"
run_fp --mirror "$SERVER_URL" -o "$T/dl4" books "$T/list4"
is "strip=maybe: exit 1" "$rc" 1
like "strip=maybe: the line named" "$(cat "$T/err")" \
	"list4:2: strip must be yes or no$"

# ---- a text without markers: unchanged, with a warning -------------------
server_stop
server_start --root "$T/www"
printf '%s/plain.txt\n  strip=yes\n' "$SERVER2_URL" >"$T/list5"
run_fp -o "$T/dl5" books "$T/list5"
is "no markers: exit 0" "$rc" 0
ok "no markers: published unchanged" cmp "$T/dl5/plain.txt" "$T/www/plain.txt"
like "no markers: a warning naming the file" "$(cat "$T/err")" \
	"^fetchpool: warning: plain.txt: no Project Gutenberg start or end marker; published unchanged$"

# ---- sha256= is the raw body's --------------------------------------------
server_stop
server_start --gutenberg "$G"
raw=$(sha256_of "$G/pg1342.txt")
printf '1342\n  sha256=%s\n' "$raw" >"$T/list6"
run_fp --mirror "$SERVER3_URL" -o "$T/dl6" --strip-headers books "$T/list6"
is "sha256 of the raw body: exit 0" "$rc" 0
ok "sha256 of the raw body: published stripped" kept "$T/dl6/pg1342.txt"
stripped=$(sha256_of "$T/dl6/pg1342.txt")
printf '1342\n  sha256=%s\n' "$stripped" >"$T/list7"
run_fp --mirror "$SERVER3_URL" -o "$T/dl7" --strip-headers books "$T/list7"
is "sha256 of the stripped text: exit 1" "$rc" 1
like "sha256 of the stripped text: a mismatch" "$(cat "$T/err")" \
	"checksum mismatch"
ok "mismatch: nothing published" test ! -e "$T/dl7/pg1342.txt"

# ---- resume: the .part holds raw bytes -----------------------------------
server_rule /cache/epub/2600/pg2600.txt "truncate=1000000" "$SERVER3_URL" ||
	BAIL_OUT "rule refused"
printf '2600 War and Peace\n' >"$T/list8"
run_fp --mirror "$SERVER3_URL" -o "$T/dl8" --retries 0 --strip-headers \
	books "$T/list8"
is "cut short: exit 1" "$rc" 1
is "cut short: the .part holds the raw prefix" \
	"$(head -c 1000000 "$G/pg2600.txt" | sha256sum | cut -d' ' -f1)" \
	"$(sha256_of "$T/dl8/pg2600.txt.part")"
server_reset "$SERVER3_URL"
run_fp --mirror "$SERVER3_URL" -o "$T/dl8" --strip-headers books "$T/list8"
is "resumed: exit 0" "$rc" 0
is "resumed: a range request" \
	"$(server_stats "$SERVER3_URL" | jq -r '.requests[] |
		select(.path | endswith(".txt")) | .range')" "bytes=1000000-"
ok "resumed: the same text as in one go" \
	cmp "$T/dl8/pg2600.txt" "$T/dl/pg2600.txt"

done_testing
