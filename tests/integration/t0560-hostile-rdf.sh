#!/bin/sh
# Hostile Gutenberg RDF metadata: for an ID job without a
# title the title is read from pgID.rdf; an entity bomb, an external
# entity or DTD, a malformed, deep, oversized or title-less RDF gives the
# fallback title "book ID" and the download still proceeds. A hostile
# title is cut and folded, never echoed raw; nothing of /etc/passwd shows.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq cmp awk od

G=$T/gutenberg
mkdir -p "$G"
repeat() { awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }
rdf() { # rdf ID TITLE-XML: a minimal RDF whose dcterms:title holds TITLE-XML
	printf '<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:pgterms="http://www.gutenberg.org/2009/pgterms/" xmlns:dcterms="http://purl.org/dc/terms/"><pgterms:ebook rdf:about="ebooks/%s"><dcterms:title>%s</dcterms:title></pgterms:ebook></rdf:RDF>\n' "$1" "$2"
}
doctype() { # doctype ID DTD: the same with an internal subset and &e; as title
	printf '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rdf:RDF [%s]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:pgterms="http://www.gutenberg.org/2009/pgterms/" xmlns:dcterms="http://purl.org/dc/terms/"><pgterms:ebook rdf:about="ebooks/%s"><dcterms:title>&e;</dcterms:title></pgterms:ebook></rdf:RDF>\n' "$2" "$1"
}

# IDs 1..12: one hostile RDF each (the text is always fine).
bomb='<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
doctype 1 "$bomb" >"$G/pg1.rdf"
doctype 2 '<!ENTITY e SYSTEM "file:///etc/passwd">' >"$G/pg2.rdf"
doctype 3 '<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;' >"$G/pg3.rdf"
doctype 4 '<!ENTITY e SYSTEM "@URL@/evil.dtd">' >"$G/pg4.rdf"
rdf 5 'Broken <unclosed>' >"$G/pg5.rdf"
head -c 300 "$FIXTURES/gutenberg/pg11.rdf" >"$G/pg6.rdf"
{ repeat 5000 '<a>'; repeat 5000 '</a>'; } >"$G/pg7.rdf"
{ rdf 8 x; repeat 500000 '<!-- padding -->'; } >"$G/pg8.rdf"      # > 4 MiB
rdf 9 '' >"$G/pg9.rdf"                                          # empty title
rdf 10 "$(repeat 1000 'Long title ')" >"$G/pg10.rdf"             # 11 KB title
rdf 11 "$(printf 'Tab\tand\r\nbreaks &#x85; and &#xa0;nbsp  ')" >"$G/pg11.rdf"
printf '\000\001\002 not xml at all \377' >"$G/pg12.rdf"
i=1
while [ $i -le 12 ]; do printf 'book %d text\n' $i >"$G/pg$i.txt"; i=$((i + 1)); done
server_start --gutenberg "$G"
sed -i "s|@URL@|$SERVER_URL|" "$G/pg4.rdf"

seq 1 12 >"$T/list"
run_fp --mirror "$SERVER_URL" -o "$T/dl" -j 4 --report "$T/r.json" books "$T/list"
is "hostile RDF: every download proceeds (exit 0)" "$rc" 0
title() { jq -r --arg s "$1" '.jobs[] | select(.source == $s) | .title' "$T/r.json"; }
for id in 1 2 3 4 5 6 7 8 9 12; do
	is "pg$id.rdf: fallback title" "$(title $id)" "book $id"
	ok "pg$id.txt: saved" cmp "$T/dl/pg$id.txt" "$G/pg$id.txt"
done
t10=$(title 10)
n10=$(printf '%s' "$t10" | wc -c | tr -d ' ')
ok "a long title is cut to at most 1024 bytes ($n10)" test "$n10" -le 1024 -a "$n10" -ge 1000
like "a long title keeps its start" "$t10" '^Long title Long title'
is "whitespace and C1 controls folded to single spaces" "$(title 11)" \
	"Tab and breaks and $(printf '\302\240')nbsp"
ok "nothing of /etc/passwd in any output" sh -c \
	"! grep -qF '$(head -n 1 /etc/passwd)' '$T/out' '$T/err' '$T/r.json'"
is "no request for an external DTD" \
	"$(server_stats | jq '[.requests[] | select(.path | endswith(".dtd"))] | length')" 0
if od -An -tu1 "$T/out" | tr -s ' ' '\n' | awk 'NF && ($1 < 32 && $1 != 10 || $1 == 127)' | grep -q .; then
	fail "stdout: no control character"
else
	pass "stdout: no control character"
fi
done_testing
