#!/bin/sh
# Mirrors: a job line of TAB-separated URLs (aria2c's input format), or a
# book ID with --mirror given several times. After a failure the next
# attempt goes to the next mirror at once; a .part moves to another mirror
# only under its If-Range validator, so a mirror with another version of
# the file sends it whole: never a splice.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq
G=$FIXTURES/gutenberg

mkdir -p "$T/a" "$T/b"
head -c 300000 /dev/urandom >"$T/a/big.bin"
head -c 300000 /dev/urandom >"$T/b/big.bin"
printf 'hello\n' >"$T/a/f.txt"
server_start --root "$T/a"            # 1: version A
server_start --root "$T/a"            # 2: version A, same validators
server_start --root "$T/b"            # 3: version B of big.bin
server_start --gutenberg "$G"         # 4: a Gutenberg mirror
dead="http://127.0.0.1:1"             # nothing listens there
tab=$(printf '\t')
reqs() { # URL PATH -> "status range" of each request for PATH
	server_stats "$1" | jq -r --arg p "$2" '[.requests[] |
		select(.path == $p) | "\(.status) \(.range)"] | join(", ")'
}

printf '%s\n  title=Hello\n' \
	"$dead/f.txt$tab$SERVER_URL/f.txt$tab$SERVER2_URL/f.txt" >"$T/list"
run_fp -o "$T/dl" --report "$T/r.json" "$T/list"
is "dead first mirror: exit 0" "$rc" 0
is "dead first mirror: the file" "$(cat "$T/dl/f.txt")" hello
like "dead first mirror: the title from title=" "$(cat "$T/out")" \
	'^Finished downloading Hello$'
is "dead first mirror: the report names the mirror that served" \
	"$(jq -r '.jobs[0].url' "$T/r.json")" "$SERVER_URL/f.txt"
is "dead first mirror: the second mirror asked once" \
	"$(reqs "$SERVER_URL" /f.txt)" "200 null"
is "dead first mirror: the third not at all" "$(reqs "$SERVER2_URL" /f.txt)" ""

# 503 on the first mirror: the second at once, no backoff on the first.
server_reset; server_reset "$SERVER2_URL"
server_rule /f.txt 503
printf '%s\n' "$SERVER_URL/f.txt$tab$SERVER2_URL/f.txt" >"$T/list"
run_fp -o "$T/dl2" --report "$T/r.json" "$T/list"
is "503: exit 0" "$rc" 0
is "503: one request to the first" "$(reqs "$SERVER_URL" /f.txt)" "503 null"
is "503: then the second" "$(reqs "$SERVER2_URL" /f.txt)" "200 null"
is "503: two attempts" "$(jq '.jobs[0].attempts' "$T/r.json")" 2

# A body cut off at one mirror resumes at another with the same version...
server_reset; server_reset "$SERVER2_URL"
server_rule /big.bin truncate=100000
printf '%s\n' "$SERVER_URL/big.bin$tab$SERVER2_URL/big.bin" >"$T/list"
run_fp -o "$T/dl3" "$T/list"
is "resume at a mirror: exit 0" "$rc" 0
ok "resume at a mirror: version A whole" cmp "$T/dl3/big.bin" "$T/a/big.bin"
is "resume at a mirror: the second asked only for the rest" \
	"$(reqs "$SERVER2_URL" /big.bin)" "206 bytes=100000-"

# ...but a mirror with another version sends it whole.
server_reset; server_reset "$(_srv_var 3 URL)"
server_rule /big.bin truncate=100000
printf '%s\n' "$SERVER_URL/big.bin$tab$(_srv_var 3 URL)/big.bin" >"$T/list"
run_fp -o "$T/dl4" "$T/list"
is "other version: exit 0" "$rc" 0
ok "other version: version B whole, never A's start and B's end" \
	cmp "$T/dl4/big.bin" "$T/b/big.bin"
is "other version: asked under If-Range, answered whole" \
	"$(server_stats "$(_srv_var 3 URL)" | jq -r '[.requests[] |
		select(.path == "/big.bin") |
		"\(.status) \(.if_range != null)"] | join(", ")')" "200 true"

# Book IDs over several --mirror: text and title from the live one.
printf '1342\n' >"$T/list"
run_fp --mirror "$dead" --mirror "$(_srv_var 4 URL)" -o "$T/dl5" "$T/list"
is "--mirror twice: exit 0" "$rc" 0
ok "--mirror twice: the book" cmp "$T/dl5/pg1342.txt" "$G/pg1342.txt"
like "--mirror twice: the title from the live mirror's RDF" "$(cat "$T/out")" \
	'^Finished downloading Pride and Prejudice$'

# checksum=sha-256=HEX (aria2c) is sha256=; another algorithm is refused.
sum=$(sha256sum "$T/a/f.txt" | cut -d' ' -f1)
printf '%s\n  checksum=sha-256=%s\n%s\n  checksum=md5=0123\n' \
	"$SERVER_URL/f.txt" "$sum" "$SERVER2_URL/f.txt" >"$T/list"
run_fp -o "$T/dl6" "$T/list"
is "checksum=: exit 1 (one job invalid)" "$rc" 1
is "checksum=sha-256=: checked and published" "$(cat "$T/dl6/f.txt")" hello
like "checksum=md5: refused, never unchecked" "$(cat "$T/err")" \
	':4: checksum must be sha-256=HEX'
done_testing
