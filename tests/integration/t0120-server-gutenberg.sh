#!/bin/sh
# Fixture server, --gutenberg: the www.gutenberg.org paths, exact bytes,
# content types, 302 aliases, Apache-style 404s, validators and ranges.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd curl

G=$FIXTURES/gutenberg
[ -f "$G/pg1342.txt" ] || skip_all "no Gutenberg fixtures in $G"

header() {
	sed -n "s/^$1: *//Ip" "$2" | tr -d '\r' | tail -n 1
}

get() {
	rm -f "$T/body" "$T/hdr"
	curl -sS --max-time 30 -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@"
}

server_start --gutenberg "$G"
U=$SERVER_URL

# ---- every fixture text and RDF, byte for byte ----
for f in "$G"/pg*.txt "$G"/pg*.rdf; do
	name=${f##*/}
	id=${name#pg}
	id=${id%.*}
	is "$name: 200" "$(get "$U/cache/epub/$id/$name")" 200
	is "$name: bytes" "$(sha256_of "$T/body")" "$(sha256_of "$f")"
done

is "text: Content-Type" \
	"$(get "$U/cache/epub/1342/pg1342.txt" >/dev/null; header Content-Type "$T/hdr")" \
	"text/plain; charset=utf-8"
is "text: Content-Length" "$(header Content-Length "$T/hdr")" \
	"$(file_size "$G/pg1342.txt")"
is "text: Accept-Ranges" "$(header Accept-Ranges "$T/hdr")" bytes
etag=$(header ETag "$T/hdr")
lm=$(header Last-Modified "$T/hdr")
like "text: ETag" "$etag" '^"[0-9a-f]+-[0-9a-f]+"$'
like "text: Last-Modified" "$lm" ' GMT$'
is "rdf: Content-Type" \
	"$(get "$U/cache/epub/1342/pg1342.rdf" >/dev/null; header Content-Type "$T/hdr")" \
	"application/rdf+xml"

# ---- /files/ID/ID-0.txt ----
is "files/1342/1342-0.txt: 200" "$(get "$U/files/1342/1342-0.txt")" 200
is "files/1342/1342-0.txt: bytes" "$(sha256_of "$T/body")" \
	"$(sha256_of "$G/files/1342-0.txt")"
is "files/11/11-0.txt: bytes" \
	"$(get "$U/files/11/11-0.txt" >/dev/null; sha256_of "$T/body")" \
	"$(sha256_of "$G/files/11-0.txt")"

# ---- 302 aliases ----
is "/ebooks/1342.txt.utf-8: 302" "$(get "$U/ebooks/1342.txt.utf-8")" 302
is "Location: absolute, same host and port" "$(header Location "$T/hdr")" \
	"$U/cache/epub/1342/pg1342.txt"
is "/ebooks/1342.rdf: 302" "$(get "$U/ebooks/1342.rdf")" 302
is "rdf Location" "$(header Location "$T/hdr")" "$U/cache/epub/1342/pg1342.rdf"
is "the Host header names the host" \
	"$(get -H "Host: localhost:$SERVER_PORT" "$U/ebooks/84.rdf" >/dev/null
	   header Location "$T/hdr")" \
	"http://localhost:$SERVER_PORT/cache/epub/84/pg84.rdf"
is "following the 302 gives the text" \
	"$(curl -sS -L "$U/ebooks/2600.txt.utf-8" | sha256sum | cut -c1-64)" \
	"$(sha256_of "$G/pg2600.txt")"

# ---- not found ----
is "unknown book: 404" "$(get "$U/cache/epub/999999/pg999999.txt")" 404
is "404 type" "$(header Content-Type "$T/hdr")" "text/html; charset=iso-8859-1"
like "404 body is Apache's" "$(cat "$T/body")" '<h1>Not Found</h1>'
like "404 names the path" "$(cat "$T/body")" '/cache/epub/999999/pg999999.txt'
is "alias of an unknown book: 404" "$(get "$U/ebooks/999999.txt.utf-8")" 404
is "/ebooks/ID.txt is not supported: 404" "$(get "$U/ebooks/1342.txt")" 404
is "mismatched IDs: 404" "$(get "$U/cache/epub/1342/pg84.txt")" 404
is "other format: 404" "$(get "$U/cache/epub/1342/pg1342.epub")" 404
is "RDF without a text: the text is 404" "$(get "$U/cache/epub/11/pg11.txt")" 404
is "missing files/ entry: 404" "$(get "$U/files/84/84-0.txt")" 404
is "without --root, other paths: 404" "$(get "$U/pg1342.txt")" 404

# ---- validators and ranges on books ----
is "If-None-Match: 304" \
	"$(get -H "If-None-Match: $etag" "$U/cache/epub/1342/pg1342.txt")" 304
is "If-Modified-Since: 304" \
	"$(get -H "If-Modified-Since: $lm" "$U/cache/epub/1342/pg1342.txt")" 304
is "resume from 700000: 206" \
	"$(get -H 'Range: bytes=700000-' -H "If-Range: $etag" "$U/cache/epub/1342/pg1342.txt")" 206
is "resumed tail" "$(sha256_of "$T/body")" \
	"$(tail -c +700001 "$G/pg1342.txt" | sha256sum | cut -c1-64)"
is "Content-Range" "$(header Content-Range "$T/hdr")" \
	"bytes 700000-772418/772419"

# ---- fault rules on Gutenberg paths ----
ok "rule on the alias" server_rule /ebooks/1342.txt.utf-8 '503+ra=1'
is "alias answers the rule" "$(get "$U/ebooks/1342.txt.utf-8")" 503
is "then redirects again" "$(get "$U/ebooks/1342.txt.utf-8")" 302

# ---- --gutenberg together with --root ----
mkdir "$T/root"
printf 'plain\n' >"$T/root/plain.txt"
server_start --gutenberg "$G" --root "$T/root"
is "with --root: book" "$(get "$SERVER2_URL/cache/epub/84/pg84.rdf")" 200
is "with --root: plain file" "$(get "$SERVER2_URL/plain.txt")" 200
is "with --root: unknown" "$(get "$SERVER2_URL/nope")" 404

done_testing
