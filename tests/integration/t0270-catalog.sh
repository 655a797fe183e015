#!/bin/sh
# fetchpool catalog: the fixture catalog is what make-catalog builds from
# the real RDF; each filter alone and combined over it, the quirk rows
# and 100,000 generated ones (read as a local copy, plain and gzip);
# malformed rows named by line while the rest still print; the fetched
# catalog cached and re-validated with a conditional request (304 keeps
# the copy, a changed feed replaces it); and `catalog | books -` end to
# end.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq gzip

G=$FIXTURES/gutenberg
C=$T/catalog.csv
cat "$G/pg_catalog.csv" "$G/catalog-quirks.csv" >"$C"
sh "$G/make-big-catalog" 100000 >>"$C"
XDG_CACHE_HOME=$T/cache
export XDG_CACHE_HOME

# ---- the fixture catalog is the generator's output ------------------------
if command -v xmllint >/dev/null 2>&1; then
	sh "$G/make-catalog" >"$T/rebuilt.csv"
	ok "make-catalog rebuilds pg_catalog.csv from the RDF" \
		cmp "$T/rebuilt.csv" "$G/pg_catalog.csv"
else
	skip "make-catalog rebuilds pg_catalog.csv" "no xmllint"
fi
is "fixture: 10 books" "$(grep -c '^[0-9]*,Text,' "$G/pg_catalog.csv")" 10

# cat ARGS...: run catalog over the local copy.
cat_local() {
	run_fp catalog --catalog "$C" "$@"
}

# ---- filters --------------------------------------------------------------
cat_local --author austen
is "--author austen: exit 1 (the malformed quirk rows)" "$rc" 1
is "--author austen: Pride and Prejudice only (Sound row left out)" \
	"$(cat "$T/out")" "1342 Pride and Prejudice"
cat_local --author AUSTEN --type any
is "--type any: the audio book too, in catalog order" "$(cat "$T/out")" \
	"1342 Pride and Prejudice
90011 An Audio Book"
cat_local --author austen --type sound
is "--type sound" "$(cat "$T/out")" "90011 An Audio Book"
cat_local --title 'quoted'
is "--title, doubled quotes read as one" "$(cat "$T/out")" \
	'90001 The "Quoted" Book, Part 1'
cat_local --title 'ВОЙНА'
is "--title: case folded beyond ASCII" "$(cut -d' ' -f1 "$T/out")" 90007
cat_local --author 'MÜLLER, jörg'
is "--author: non-ASCII name" "$(cut -d' ' -f1 "$T/out")" 90007
cat_local --subject napoleonic
is "--subject" "$(cat "$T/out")" "2600 War and Peace"
cat_local --bookshelf 'HARVARD classics'
is "--bookshelf" "$(cat "$T/out")" "1342 Pride and Prejudice"
cat_local --bookshelf quirks --language ru --language fr
is "--language twice: any of them" "$(cut -d' ' -f1 "$T/out" | tr '\n' ' ')" \
	"90007 90013 "
cat_local --language fr --author deux
is "--language: one code of 'en; fr'" "$(cat "$T/out")" "90013 Bilingual Book"
cat_local --author carroll --issued-since 2008-06-27
is "--issued-since: the day itself" "$(cat "$T/out")" \
	"11 Alice's Adventures in Wonderland"
cat_local --author carroll --issued-since 2008-06-28
is "--issued-since: the day after" "$(cat "$T/out")" ""
cat_local --author doyle --title holmes --language en
is "filters combine (AND)" "$(cat "$T/out")" \
	"1661 The Adventures of Sherlock Holmes"
cat_local --author doyle --title peace
is "AND: no book" "$(cat "$T/out")" ""
cat_local --limit 3
is "--limit 3: the first three in catalog order" "$(cut -d' ' -f1 "$T/out" |
	tr '\n' ' ')" "11 84 98 "

# The generated part: counts from the generator's own rule.
cat_local --language fi
want=$(awk 'BEGIN { for (i = 1; i <= 100000; i++)
	if (i % 6 != 0 && i % 5 == 3) n++; print n }')
is "--language fi over 100,000 rows" "$(wc -l <"$T/out")" "$want"
cat_local --title 'second line'
is "folded two-line titles (every 11th generated row)" \
	"$(wc -l <"$T/out")" "$(awk 'BEGIN { for (i = 1; i <= 100000; i++)
		if (i % 7 != 0 && i % 11 == 0) n++; print n }')"
like "one of them" "$(cat "$T/out")" "^100011 Generated Book 11 A Second Line$"

# ---- quirk rows -----------------------------------------------------------
cat_local --type any
total=$(wc -l <"$T/out")
is "every valid row printed: 10 + 10 quirks + 100,000" "$total" 100020
like "title with a line break: one line" "$(cat "$T/out")" \
	"^90002 A Title Broken Across Two Lines$"
like "CRLF inside a quoted title: one line" "$(cat "$T/out")" \
	"^90009 Title With CRLF Inside$"
like "a row ending in CRLF" "$(cat "$T/out")" "^90008 Ends With CRLF$"
like "RDF title with &#13; folded" "$(cat "$T/out")" \
	"^1080 A Modest Proposal For preventing the children"
like "empty fields" "$(cat "$T/out")" "^90003 Empty Fields Everywhere$"
like "no title: the ID alone" "$(cat "$T/out")" "^90004$"
like "control characters removed" "$(cat "$T/out")" \
	"^90012 Tab here and bell and DEL end$"
like "non-ASCII title kept" "$(cat "$T/out")" "^90007 Ästhetik und"
is "no control character in the output" \
	"$(tr -d '\n' <"$T/out" | tr -d '[:print:]' | LC_ALL=C tr -d '\200-\377' |
		wc -c)" 0
l5=$(grep -n '^90005,' "$C" | cut -d: -f1)
l6=$(grep -n '^90006,' "$C" | cut -d: -f1)
l10=$(grep -n '^90010,' "$C" | cut -d: -f1)
la=$(grep -n '^ABC,' "$C" | cut -d: -f1)
is "malformed rows: one warning each, FILE:LINE: reason" "$(cat "$T/err")" \
	"$C:$l5: 5 fields, expected 9
$C:$l6: 10 fields, expected 9
$C:$l10: text after a closing quote
$C:$la: Text# is not a book number"
is "malformed rows: exit 1" "$rc" 1
is "line numbers count the lines inside quoted titles" "$l5" 18
run_fp --dry-run books - <"$T/out"
is "the output is a valid list file" "$rc" 0

# ---- gzip -----------------------------------------------------------------
gzip -c "$C" >"$T/catalog.csv.gz"
cat_local --type any
mv "$T/out" "$T/plain.out"
mv "$T/err" "$T/plain.err"
run_fp catalog --catalog "$T/catalog.csv.gz" --type any
is "--catalog FILE.gz: exit 1 too" "$rc" 1
ok "--catalog FILE.gz: the same list" cmp "$T/out" "$T/plain.out"
is "--catalog FILE.gz: the same warnings" "$(sed 's/\.gz:/:/' "$T/err")" \
	"$(cat "$T/plain.err")"
cp "$C" "$T/catalog.gz"
run_fp catalog --catalog "$T/catalog.gz" --author austen
is "detected by magic bytes, not by name" "$(cat "$T/out")" \
	"1342 Pride and Prejudice"

# ---- options --------------------------------------------------------------
run_fp catalog --issued-since 2020-13-01
is "bad --issued-since: exit 2" "$rc" 2
like "bad --issued-since: named" "$(cat "$T/err")" \
	"^fetchpool: --issued-since: expected a date YYYY-MM-DD, got '2020-13-01'$"
run_fp catalog --limit 0
is "--limit 0: exit 2" "$rc" 2
run_fp catalog --catalog "$T/missing.csv"
is "--catalog missing: exit 2" "$rc" 2
like "--catalog missing: named" "$(cat "$T/err")" "missing.csv"
run_fp --author austen books "$T/out"
is "--author is not an option of books" "$rc" 2
run_fp catalog extra-word
is "catalog takes no arguments" "$rc" 2
printf 'not,a,catalog\n1,2,3\n' >"$T/bad.csv"
run_fp catalog --catalog "$T/bad.csv"
is "not a catalog: exit 2" "$rc" 2
like "not a catalog: said" "$(cat "$T/err")" "no Text# column"

# ---- the fetched catalog: cache and conditional re-fetch -----------------
mkdir "$T/gb"
cp "$G/pg_catalog.csv" "$T/gb/pg_catalog.csv"
touch -d '2024-01-02 03:04:05 UTC' "$T/gb/pg_catalog.csv"
server_start --gutenberg "$T/gb"
CP=/cache/epub/feeds/pg_catalog.csv
CACHED=$T/cache/fetchpool/pg_catalog.csv

run_fp --dry-run catalog --mirror "$SERVER_URL"
is "--dry-run: the plan" "$(cat "$T/out")" \
	"$SERVER_URL$CP -> $T/cache/fetchpool/pg_catalog.csv"
is "--dry-run: nothing fetched" "$(server_stats | jq '.requests | length')" 0

run_fp catalog --mirror "$SERVER_URL" --author austen
is "fetched: exit 0" "$rc" 0
is "fetched: the list" "$(cat "$T/out")" "1342 Pride and Prejudice"
is "fetched: nothing on stderr" "$(cat "$T/err")" ""
ok "cached copy equals the feed" cmp "$CACHED" "$T/gb/pg_catalog.csv"
is "cached copy: mtime from Last-Modified" "$(stat -c %Y "$CACHED")" \
	"$(stat -c %Y "$T/gb/pg_catalog.csv")"
ok "cache directory has its own state" \
	grep -q "^pg_catalog.csv	" "$T/cache/fetchpool/.fetchpool.state"
server_stats >"$T/s1.json"
is "first fetch: one request, unconditional" \
	"$(jq -r '[.requests[] | "\(.path) \(.status) \(.if_none_match)"] |
		join(",")' "$T/s1.json")" "$CP 200 null"
etag=$(curl -sSI "$SERVER_URL$CP" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
before=$(stat -c '%i %Y %s' "$CACHED")

server_reset
run_fp catalog --mirror "$SERVER_URL" --author doyle
is "re-validated: exit 0" "$rc" 0
is "re-validated: the list from the cache" "$(cat "$T/out")" \
	"1661 The Adventures of Sherlock Holmes"
server_stats >"$T/s2.json"
is "re-validated: the server saw If-None-Match with the ETag, answered 304" \
	"$(jq -r '[.requests[] | "\(.if_none_match) \(.status)"] | join(",")' \
		"$T/s2.json")" "$etag 304"
isnt "re-validated: If-Modified-Since sent" \
	"$(jq -r '.requests[0].if_modified_since' "$T/s2.json")" null
is "re-validated: the cache file untouched" "$(stat -c '%i %Y %s' "$CACHED")" \
	"$before"

# The feed changes: a 200 replaces the copy.
printf '99999,Text,2025-01-01,A New Book,en,"Austen, Jane",,PR,\n' \
	>>"$T/gb/pg_catalog.csv"
touch -d '2025-01-02 03:04:05 UTC' "$T/gb/pg_catalog.csv"
server_reset
run_fp catalog --mirror "$SERVER_URL" --author austen
is "changed feed: the new row" "$(cat "$T/out")" "1342 Pride and Prejudice
99999 A New Book"
is "changed feed: 200" "$(server_stats | jq -r '[.requests[].status] | join(",")')" 200
ok "changed feed: cache replaced" cmp "$CACHED" "$T/gb/pg_catalog.csv"

# The feed fails: the cached copy is used, with a warning and exit 1.
server_rule "$CP" "404" || BAIL_OUT "rule refused"
run_fp catalog --mirror "$SERVER_URL" --author austen --retries 0
is "feed 404: exit 1" "$rc" 1
like "feed 404: the failure said" "$(cat "$T/err")" \
	"^fetchpool: cannot fetch the catalog: HTTP 404"
like "feed 404: warning about the cached copy" "$(cat "$T/err")" \
	"^fetchpool: warning: using the cached catalog '$CACHED'$"
is "feed 404: the list from the cache" "$(cat "$T/out")" \
	"1342 Pride and Prejudice
99999 A New Book"
ok "feed 404: cache kept" cmp "$CACHED" "$T/gb/pg_catalog.csv"

# No cache and no feed: exit 1, no list.
server_rule "$CP" "404" || BAIL_OUT "rule refused"
XDG_CACHE_HOME=$T/cache2
run_fp catalog --mirror "$SERVER_URL" --retries 0
is "no cache, feed 404: exit 1" "$rc" 1
is "no cache, feed 404: no list" "$(cat "$T/out")" ""

# $HOME/.cache when XDG_CACHE_HOME is unset or relative.
mkdir "$T/home"
XDG_CACHE_HOME=relative
saved_home=$HOME
HOME=$T/home
run_fp catalog --mirror "$SERVER_URL" --limit 1
HOME=$saved_home
XDG_CACHE_HOME=$T/cache
is "HOME fallback: exit 0" "$rc" 0
ok "HOME fallback: ~/.cache/fetchpool/pg_catalog.csv" \
	test -f "$T/home/.cache/fetchpool/pg_catalog.csv"
is "HOME fallback: cache directory private" \
	"$(stat -c %a "$T/home/.cache/fetchpool")" 700

# ---- catalog | books - ----------------------------------------------------
server_start --gutenberg "$G"
# shellcheck disable=SC2016 # expanded by the inner shell
timeout -k 10 "${FP_TIMEOUT:-120}" sh -c '
	${FP_WRAPPER-} "$1" catalog --mirror "$2" --language en \
		--author austen 2>"$3/cerr" |
	${FP_WRAPPER-} "$1" --mirror "$2" -o "$3/dl" books -' \
	sh "$FETCHPOOL" "$SERVER2_URL" "$T" >"$T/out" 2>"$T/err"
rc=$?
is "pipe: books exit 0" "$rc" 0
is "pipe: catalog said nothing on stderr" "$(cat "$T/cerr")" ""
like "pipe: downloaded" "$(cat "$T/out")" \
	"^Finished downloading Pride and Prejudice$"
ok "pipe: pg1342.txt byte-identical" cmp "$T/dl/pg1342.txt" "$G/pg1342.txt"
is "pipe: only Austen's book" "$(ls "$T/dl" | grep -v '^\.' | tr '\n' ' ')" \
	"pg1342.txt "

done_testing
