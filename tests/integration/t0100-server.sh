#!/bin/sh
# Fixture server, static files (--root): bytes, validators, conditional
# requests (304), ranges (206, 416), If-Range, HEAD, path safety,
# --no-validators, and two servers at once.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd curl

# header NAME DUMP: the value of header NAME in a curl -D dump.
header() {
	sed -n "s/^$1: *//Ip" "$2" | tr -d '\r' | tail -n 1
}

# get [CURL ARGS...] URL: body to $T/body, headers to $T/hdr, prints the
# status code.
get() {
	rm -f "$T/body" "$T/hdr"
	curl -sS --max-time 30 -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@"
}

cp -R "$FIXTURES/tree" "$T/root"
chmod -R u+w "$T/root"
touch -d '2020-01-02 03:04:05 UTC' "$T/root/hello.txt"
server_start --root "$T/root"
U=$SERVER_URL

like "port file holds the port" "$(cat "$T/port")" '^[0-9]+$'
is "SERVER_URL names 127.0.0.1 and the port" "$U" \
	"http://127.0.0.1:$(cat "$T/port")"

# ---- plain GET ----
is "GET /hello.txt: 200" "$(get "$U/hello.txt")" 200
ok "body is the file, byte for byte" cmp "$T/body" "$T/root/hello.txt"
is "Content-Type" "$(header Content-Type "$T/hdr")" "text/plain; charset=utf-8"
is "Content-Length" "$(header Content-Length "$T/hdr")" 29
is "Accept-Ranges" "$(header Accept-Ranges "$T/hdr")" bytes
is "Last-Modified is the file's mtime" "$(header Last-Modified "$T/hdr")" \
	"Thu, 02 Jan 2020 03:04:05 GMT"
etag=$(header ETag "$T/hdr")
like "ETag is strong and quoted" "$etag" '^"[0-9a-f]+-[0-9a-f]+"$'
is "same ETag on the next request" \
	"$(get "$U/hello.txt" >/dev/null; header ETag "$T/hdr")" "$etag"

is "binary file: 200" "$(get "$U/data/blob.bin")" 200
is "binary file bytes" "$(sha256_of "$T/body")" \
	"$(sha256_of "$FIXTURES/tree/data/blob.bin")"
is "binary file type" "$(header Content-Type "$T/hdr")" application/octet-stream
is "nested path" "$(get "$U/sub/dir/deep.txt")" 200
ok "nested file bytes" cmp "$T/body" "$T/root/sub/dir/deep.txt"
is "/ serves index.html" "$(get "$U/")" 200
ok "index.html bytes" cmp "$T/body" "$T/root/index.html"
is "index.html type" "$(header Content-Type "$T/hdr")" "text/html; charset=utf-8"
is "csv type" "$(get "$U/data/numbers.csv" >/dev/null; header Content-Type "$T/hdr")" \
	"text/csv; charset=utf-8"

# ---- HEAD ----
is "HEAD: 200" "$(get -I "$U/hello.txt")" 200
is "HEAD: Content-Length of the file" "$(header Content-Length "$T/hdr")" 29
is "HEAD: no body" \
	"$(curl -sS -I -o /dev/null -w '%{size_download}' "$U/hello.txt")" 0
is "HEAD: same ETag" "$(header ETag "$T/hdr")" "$etag"

# ---- conditional requests ----
is "If-None-Match with the ETag: 304" \
	"$(get -H "If-None-Match: $etag" "$U/hello.txt")" 304
is "304 has no body" "$(cat "$T/body" 2>/dev/null)" ""
is "304 repeats the ETag" "$(header ETag "$T/hdr")" "$etag"
is "If-None-Match, weak form: 304" \
	"$(get -H "If-None-Match: W/$etag" "$U/hello.txt")" 304
is "If-None-Match in a list: 304" \
	"$(get -H "If-None-Match: \"x\", $etag" "$U/hello.txt")" 304
is "If-None-Match: *: 304" "$(get -H 'If-None-Match: *' "$U/hello.txt")" 304
is "If-None-Match with another tag: 200" \
	"$(get -H 'If-None-Match: "0-0"' "$U/hello.txt")" 200
is "If-Modified-Since = Last-Modified: 304" \
	"$(get -H 'If-Modified-Since: Thu, 02 Jan 2020 03:04:05 GMT' "$U/hello.txt")" 304
is "If-Modified-Since later: 304" \
	"$(get -H 'If-Modified-Since: Fri, 03 Jan 2020 00:00:00 GMT' "$U/hello.txt")" 304
is "If-Modified-Since one second earlier: 200" \
	"$(get -H 'If-Modified-Since: Thu, 02 Jan 2020 03:04:04 GMT' "$U/hello.txt")" 200
is "If-Modified-Since, RFC 850 form: 304" \
	"$(get -H 'If-Modified-Since: Thursday, 02-Jan-20 03:04:05 GMT' "$U/hello.txt")" 304
is "If-Modified-Since, not a date: 200" \
	"$(get -H 'If-Modified-Since: yesterday' "$U/hello.txt")" 200
is "non-matching If-None-Match beats a matching If-Modified-Since" \
	"$(get -H 'If-None-Match: "0-0"' \
		-H 'If-Modified-Since: Thu, 02 Jan 2020 03:04:05 GMT' "$U/hello.txt")" 200

# ---- ranges ----
is "Range bytes=6-9: 206" "$(get -H 'Range: bytes=6-9' "$U/hello.txt")" 206
is "206 body" "$(cat "$T/body")" from
is "206 Content-Range" "$(header Content-Range "$T/hdr")" "bytes 6-9/29"
is "206 Content-Length" "$(header Content-Length "$T/hdr")" 4
is "Range bytes=20-: 206" "$(get -H 'Range: bytes=20-' "$U/hello.txt")" 206
is "open range: the tail" "$(file_size "$T/body")" 9
is "open range: Content-Range" "$(header Content-Range "$T/hdr")" "bytes 20-28/29"
is "suffix range bytes=-5: 206" "$(get -H 'Range: bytes=-5' "$U/hello.txt")" 206
is "suffix range body" "$(cat "$T/body")" "ree."
is "range past the end: 416" "$(get -H 'Range: bytes=29-' "$U/hello.txt")" 416
is "416 Content-Range" "$(header Content-Range "$T/hdr")" "bytes */29"
is "several ranges: whole file" \
	"$(get -H 'Range: bytes=0-1,4-5' "$U/hello.txt")" 200
is "reversed range is ignored: 200" "$(get -H 'Range: bytes=9-3' "$U/hello.txt")" 200
is "resume = head + tail" \
	"$(get -H 'Range: bytes=0-9' "$U/data/blob.bin" >/dev/null
	   mv "$T/body" "$T/head"
	   get -H 'Range: bytes=10-' "$U/data/blob.bin" >/dev/null
	   cat "$T/head" "$T/body" | sha256sum | cut -c1-64)" \
	"$(sha256_of "$T/root/data/blob.bin")"
is "If-Range with the ETag: 206" \
	"$(get -H 'Range: bytes=6-' -H "If-Range: $etag" "$U/hello.txt")" 206
is "If-Range with Last-Modified: 206" \
	"$(get -H 'Range: bytes=6-' -H 'If-Range: Thu, 02 Jan 2020 03:04:05 GMT' "$U/hello.txt")" 206
is "If-Range with a stale ETag: 200" \
	"$(get -H 'Range: bytes=6-' -H 'If-Range: "0-0"' "$U/hello.txt")" 200
ok "stale If-Range: the whole file" cmp "$T/body" "$T/root/hello.txt"
is "If-Range with another date: 200" \
	"$(get -H 'Range: bytes=6-' -H 'If-Range: Thu, 02 Jan 2020 03:04:06 GMT' "$U/hello.txt")" 200
is "If-Range with a weak ETag: 200" \
	"$(get -H 'Range: bytes=6-' -H "If-Range: W/$etag" "$U/hello.txt")" 200

# ---- a changed file gets new validators ----
printf 'Hello from the fixture tree, changed.\n' >"$T/root/hello.txt"
is "changed file: old ETag no longer matches" \
	"$(get -H "If-None-Match: $etag" "$U/hello.txt")" 200
isnt "changed file: new ETag" "$(header ETag "$T/hdr")" "$etag"
ok "changed file: new bytes" cmp "$T/body" "$T/root/hello.txt"
is "changed file: stale If-Range restarts" \
	"$(get -H 'Range: bytes=6-' -H "If-Range: $etag" "$U/hello.txt")" 200

# ---- not found, bad paths, methods ----
is "missing file: 404" "$(get "$U/nope.txt")" 404
like "404 has an HTML body" "$(cat "$T/body")" '<title>404 Not Found</title>'
is "a directory without index.html: 404" "$(get "$U/sub/")" 404
is "'..' in the path: 400" "$(get --path-as-is "$U/../etc/passwd")" 400
is "encoded '..' in the path: 400" "$(get --path-as-is "$U/sub/%2e%2e/%2e%2e/x")" 400
is "POST: 405" "$(get -d x=1 "$U/hello.txt")" 405
is "405 names the allowed methods" "$(header Allow "$T/hdr")" "GET, HEAD"

# ---- a big file: sendfile path, ranges near the end ----
head -c 67108864 /dev/urandom >"$T/root/big.bin"
is "64 MiB file: 200" "$(curl -sS --max-time 60 -o "$T/big" -w '%{http_code}' "$U/big.bin")" 200
is "64 MiB file: bytes" "$(sha256_of "$T/big")" "$(sha256_of "$T/root/big.bin")"
is "64 MiB file: last MiB by range" \
	"$(curl -sS -r 66060288- "$U/big.bin" | sha256sum | cut -c1-64)" \
	"$(tail -c 1048576 "$T/root/big.bin" | sha256sum | cut -c1-64)"
rm -f "$T/big"

# ---- a second server at once: --no-validators ----
server_start --root "$T/root" --no-validators
isnt "second server, own port" "$SERVER2_PORT" "$SERVER_PORT"
is "second server answers" "$(get "$SERVER2_URL/data/numbers.csv")" 200
ok "second server bytes" cmp "$T/body" "$T/root/data/numbers.csv"
is "no ETag without validators" "$(header ETag "$T/hdr")" ""
is "no Last-Modified without validators" "$(header Last-Modified "$T/hdr")" ""
is "If-None-Match ignored: 200" \
	"$(get -H 'If-None-Match: *' "$SERVER2_URL/hello.txt")" 200
is "If-Modified-Since ignored: 200" \
	"$(get -H 'If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT' "$SERVER2_URL/hello.txt")" 200
is "Range still works: 206" "$(get -r 0-4 "$SERVER2_URL/hello.txt")" 206
is "If-Range cannot match: 200" \
	"$(get -r 0-4 -H "If-Range: $etag" "$SERVER2_URL/hello.txt")" 200
is "first server still has validators" \
	"$(get "$U/hello.txt" >/dev/null; header ETag "$T/hdr" | cut -c1)" '"'
server_stop 2
is "server 2 stopped, server 1 still up" "$(get "$U/hello.txt")" 200

# ---- bad command lines ----
st=0
"$FIXTURE_SERVER" --root "$T/nope" >"$T/o" 2>&1 || st=$?
is "--root on a missing dir: exit 2" "$st" 2
like "and says why" "$(cat "$T/o")" 'not a directory'
st=0
"$FIXTURE_SERVER" --rule '/x bogus' >"$T/o" 2>&1 || st=$?
is "--rule with a bad action: exit 2" "$st" 2
like "and names the action" "$(cat "$T/o")" "unknown action 'bogus'"
st=0
"$FIXTURE_SERVER" --latency abc >"$T/o" 2>&1 || st=$?
is "--latency abc: exit 2" "$st" 2

done_testing
