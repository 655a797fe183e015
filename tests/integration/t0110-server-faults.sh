#!/bin/sh
# Fixture server, fault rules: every action, rules taken in turn and
# atomically across connections, --rule at start, /_rule errors.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd curl jq

header() {
	sed -n "s/^$1: *//Ip" "$2" | tr -d '\r' | tail -n 1
}

# fetch [CURL ARGS...] URL: body to $T/body, headers to $T/hdr; prints
# "STATUS SIZE CURL-EXIT".
fetch() {
	local st=0 out
	rm -f "$T/body" "$T/hdr"
	out=$(curl -sS --max-time 30 -o "$T/body" -D "$T/hdr" \
		-w '%{http_code} %{size_download}' "$@" 2>/dev/null) || st=$?
	printf '%s %s\n' "$out" "$st"
}

# elapsed_ms CMD...: run CMD (output discarded), print its wall time in ms.
elapsed_ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

# A body of 100000 bytes whose every part is distinct.
seq 1 20000 | awk '{ printf "%04d\n", $1 % 10000 }' >"$T/f.txt"
mkdir "$T/root"
cp "$T/f.txt" "$T/root/f.txt"
cp "$T/f.txt" "$T/root/g.txt"
SIZE=$(file_size "$T/f.txt")
is "test body size" "$SIZE" 100000

server_start --root "$T/root" --rule '/g.txt 503,ok' --rule '/h.txt reset'
U=$SERVER_URL

# ---- --rule at start ----
is "--rule: first request 503" "$(fetch "$U/g.txt")" "503 24 0"
is "--rule: second request ok" "$(fetch "$U/g.txt")" "200 $SIZE 0"
is "--rule: used up, normal" "$(fetch "$U/g.txt")" "200 $SIZE 0"

# ---- statuses and Retry-After ----
ok "install a rule" server_rule /f.txt '503,404,500,429+ra=7,503+radate=60,200'
is "503" "$(fetch "$U/f.txt")" "503 24 0"
is "503 body" "$(cat "$T/body")" "503 Service Unavailable"
is "503 without Retry-After" "$(header Retry-After "$T/hdr")" ""
is "404" "$(fetch "$U/f.txt")" "404 14 0"
is "500" "$(fetch "$U/f.txt")" "500 26 0"
is "429" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 429
is "Retry-After in seconds" "$(header Retry-After "$T/hdr")" 7
is "503 with a date" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 503
ra=$(header Retry-After "$T/hdr")
like "Retry-After is an IMF-fixdate" "$ra" \
	'^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$'
ahead=$(($(date -u -d "$ra" +%s) - $(date -u +%s)))
ok "Retry-After date is about 60 s ahead ($ahead)" \
	test "$ahead" -ge 50 -a "$ahead" -le 61
is "200 action: a short text body" "$(fetch "$U/f.txt")" "200 7 0"
is "list used up: the file again" "$(fetch "$U/f.txt")" "200 $SIZE 0"
ok "and its bytes" cmp "$T/body" "$T/f.txt"

# ---- delay ----
ok "delay rule" server_rule /f.txt 'delay=600'
ms=$(elapsed_ms curl -sS -o "$T/body" "$U/f.txt")
ok "delay=600 took at least 600 ms ($ms)" test "$ms" -ge 600
ok "delayed body complete" cmp "$T/body" "$T/f.txt"

# ---- reset ----
ok "reset rule" server_rule /f.txt 'reset'
is "reset: no response (curl 52)" "$(fetch "$U/f.txt")" "000 0 52"
is "--rule reset at start" "$(fetch "$U/h.txt")" "000 0 52"
is "after reset: normal" "$(fetch "$U/f.txt")" "200 $SIZE 0"

# ---- truncate ----
ok "truncate rule" server_rule /f.txt 'truncate=1000,truncate=0'
is "truncate=1000: 1000 bytes, partial file (curl 18)" \
	"$(fetch "$U/f.txt")" "200 1000 18"
is "truncate: full Content-Length announced" \
	"$(header Content-Length "$T/hdr")" "$SIZE"
is "truncate: the bytes sent are the file's" \
	"$(sha256_of "$T/body")" "$(head -c 1000 "$T/f.txt" | sha256sum | cut -c1-64)"
is "truncate=0: headers only" "$(fetch "$U/f.txt")" "200 0 18"
ok "truncate on a range" server_rule /f.txt 'truncate=10'
is "truncate=10 of a 206" "$(fetch -r 500- "$U/f.txt")" "206 10 18"
is "range start kept" "$(cat "$T/body")" "$(tail -c +501 "$T/f.txt" | head -c 10)"
ok "truncate with HEAD" server_rule /f.txt 'truncate=10'
is "HEAD is not cut" "$(fetch -I "$U/f.txt" | cut -d' ' -f1,3)" "200 0"

# ---- stall ----
ok "stall rule" server_rule /f.txt 'stall=3000,stall=700'
is "a client with a 1.5 s limit gives up (curl 28) after 1024 bytes" \
	"$(fetch --max-time 1.5 "$U/f.txt")" "200 1024 28"
ms=$(elapsed_ms curl -sS -o "$T/body" "$U/f.txt")
ok "stall=700 took at least 700 ms ($ms)" test "$ms" -ge 700
ok "stalled body complete" cmp "$T/body" "$T/f.txt"
printf 'tiny\n' >"$T/root/tiny.txt"
ok "stall on a small file" server_rule /tiny.txt 'stall=600'
ms=$(elapsed_ms curl -sS -o "$T/body" "$U/tiny.txt")
ok "a body of 1024 bytes or less stalls too ($ms ms)" test "$ms" -ge 600
is "small stalled body complete" "$(cat "$T/body")" tiny

# ---- drip ----
ok "drip rule" server_rule /f.txt 'drip=50000'
ms=$(elapsed_ms curl -sS -o "$T/body" "$U/f.txt")
# 100000 bytes at 50000 B/s: the last chunk is due after 1.9 s.
ok "drip=50000 took at least 1800 ms for 100000 bytes ($ms)" test "$ms" -ge 1800
ok "dripped body complete" cmp "$T/body" "$T/f.txt"
# The pace is an upper bound whatever the load: 100000 bytes at 20000 B/s
# take 4.5 s or more, so a client that stops after 2 s always has the body
# cut (curl 28) and holds at most 2 s x 20000 B/s plus a chunk. (A lower
# bound on what arrives in 2 s would depend on the machine's load.)
ok "drip rule again" server_rule /f.txt 'drip=20000'
is "a client with a 2 s limit is cut short (curl 28)" \
	"$(fetch --max-time 2 "$U/f.txt" | cut -d' ' -f3)" 28
got=$(file_size "$T/body" 2>/dev/null || echo 0)
ok "dripped at most 2 s x BPS + a chunk ($got bytes)" test "$got" -le 42000

# ---- endless ----
ok "endless rule" server_rule /f.txt 'endless'
# Read more than the file holds, then hang up (head closes the pipe): no
# clock involved; --max-time only catches a hang.
rm -f "$T/body" "$T/hdr"
{ curl -sS --max-time 60 -D "$T/hdr" "$U/f.txt" 2>/dev/null; echo $? >"$T/curl.rc"; } |
	head -c $((SIZE + 4096)) >"$T/body"
is "endless: 200" "$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$T/hdr")" 200
is "endless: a body longer than the file" "$(file_size "$T/body")" $((SIZE + 4096))
is "endless: the client stopped it (curl 23, not a timeout)" "$(cat "$T/curl.rc")" 23
is "endless: chunked" "$(header Transfer-Encoding "$T/hdr")" chunked
is "endless: no Content-Length" "$(header Content-Length "$T/hdr")" ""
like "endless: text lines" "$(head -c 200 "$T/body")" 'endless body'
ok "endless: the request ends when the client leaves" \
	wait_until 10 sh -c "curl -s '$U/_stats' | jq -e '.in_flight == 0'"
is "endless: then normal again" "$(fetch "$U/f.txt")" "200 $SIZE 0"

# ---- redirect ----
ok "redirect rule" server_rule /f.txt 'redirect=file:///etc/passwd,redirect=/g.txt'
is "redirect: 302" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 302
is "redirect: Location as given" "$(header Location "$T/hdr")" "file:///etc/passwd"
is "relative redirect: 302" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 302
is "relative Location kept" "$(header Location "$T/hdr")" "/g.txt"

# ---- rules are taken atomically across connections ----
ok "five 503s" server_rule /f.txt '503,503,503,503,503'
i=0
pids=
while [ "$i" -lt 10 ]; do
	curl -s -o /dev/null -w '%{http_code}\n' "$U/f.txt" >"$T/par.$i" &
	pids="$pids $!"
	i=$((i + 1))
done
# shellcheck disable=SC2086
wait $pids
is "10 parallel requests: exactly five got 503" \
	"$(cat "$T"/par.* | grep -c '^503$')" 5
is "and five got 200" "$(cat "$T"/par.* | grep -c '^200$')" 5

# ---- rule paths ----
printf 'spaced\n' >"$T/root/a b.txt"
ok "rule for a decoded path" server_rule '/a b.txt' 404
ok "a '+' in a rule path, encoded" server_rule '/a+b.txt' 404
is "matches the encoded request" "$(fetch "$U/a%20b.txt" | cut -d' ' -f1)" 404
is "then normal" "$(fetch "$U/a%20b.txt" | cut -d' ' -f1)" 200
ok "rule for the path as sent" server_rule '/a%20b.txt' 410
is "matches too" "$(fetch "$U/a%20b.txt" | cut -d' ' -f1)" 410
ok "a query string does not matter" server_rule /f.txt 404
is "rule applies with ?x=1" "$(fetch "$U/f.txt?x=1" | cut -d' ' -f1)" 404
ok "replace a rule" server_rule /f.txt '500,500'
ok "replace it again" server_rule /f.txt '501'
is "the newer list counts" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 501
is "and only it" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 200
ok "remove with empty actions (set)" server_rule /f.txt 503
ok "remove with empty actions" server_rule /f.txt ''
is "removed" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 200
is "raw '+' in /_rule works unencoded" \
	"$(curl -s "$U/_rule?path=/f.txt&actions=503+ra=3" && fetch "$U/f.txt" | cut -d' ' -f1)" \
	"ok
503"
is "its Retry-After" "$(header Retry-After "$T/hdr")" 3

# ---- /_rule errors ----
server_rule /f.txt 'bogus' >"$T/o" 2>&1
is "server_rule fails on a bad action" "$?" 1
like "and says why" "$(cat "$T/o")" "HTTP 400 unknown action 'bogus'"
is "bad number: 400" \
	"$(curl -s -o /dev/null -w '%{http_code}' "$U/_rule?path=/f.txt&actions=delay=x")" 400
is "status out of range: 400" \
	"$(curl -s -o /dev/null -w '%{http_code}' "$U/_rule?path=/f.txt&actions=700")" 400
is "missing actions: 400" \
	"$(curl -s -o /dev/null -w '%{http_code}' "$U/_rule?path=/f.txt")" 400
is "path without /: 400" \
	"$(curl -s -o /dev/null -w '%{http_code}' "$U/_rule?path=f.txt&actions=ok")" 400
is "a refused list changes nothing" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 200
is "unknown control path: 404" \
	"$(curl -s -o /dev/null -w '%{http_code}' "$U/_nope")" 404

# ---- /_reset clears rules ----
ok "rule before reset" server_rule /f.txt 503
server_reset
is "no rule after /_reset" "$(fetch "$U/f.txt" | cut -d' ' -f1)" 200

done_testing
