#!/bin/sh
# Hostile replies from the fixture server: redirects to
# file://, gopher:// and other schemes, with credentials or out of the
# server's root, redirect loops, endless and truncated bodies. The job
# fails (permanently where retrying cannot help), nothing local is read,
# no credential is echoed, no file is published, the other jobs run.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq cmp

mkdir -p "$T/tree"
for n in ok target; do printf 'file %s\n' "$n" >"$T/tree/$n.txt"; done
server_start --root "$T/tree"
U=$SERVER_URL
P=$SERVER_PORT

rule() { server_rule "$1" "$2" || BAIL_OUT "rule refused: $1 $2"; }
rule /file.txt "redirect=file:///etc/passwd"
rule /FILE.txt "redirect=FILE:///etc/passwd"
rule /gopher.txt "redirect=gopher://127.0.0.1:$P/1"
rule /dict.txt "redirect=dict://127.0.0.1:$P/d:x"
rule /ldap.txt "redirect=ldap://127.0.0.1:$P/o=x"
rule /creds.txt "redirect=gopher://mallory:hunter2@127.0.0.1:$P/1"
rule /up.txt "redirect=/../../../../etc/passwd"
rule /renamed.txt "redirect=$U/target.txt"
loop=
i=0
while [ $i -lt 12 ]; do loop="${loop:+$loop,}redirect=$U/loop.txt"; i=$((i + 1)); done
rule /loop.txt "$loop"
rule /endless.txt endless

fails="file FILE gopher dict ldap creds"
for n in $fails up renamed loop endless ok; do
	printf '%s/%s.txt\n' "$U" "$n"
done >"$T/list"
run_fp -o "$T/dl" -j 3 --retries 2 --max-size 100K --report "$T/r.json" \
	books "$T/list"
is "hostile replies: exit 1" "$rc" 1
job() { jq -r --arg s "$U/$1.txt" ".jobs[] | select(.source == \$s) | .$2" "$T/r.json"; }
for n in $fails; do
	is "redirect to another scheme ($n): failed" "$(job $n status)" failed
	is "redirect to another scheme ($n): not retried" "$(job $n attempts)" 1
	like "redirect to another scheme ($n): says so" "$(job $n error)" \
		"refused: only http and https"
	ok "redirect to another scheme ($n): no file" test ! -e "$T/dl/$n.txt"
done
for f in out err r.json; do
	unlike "credentials of a redirect target never echoed ($f)" \
		"$(cat "$T/$f")" 'hunter2|mallory'
done
ok "nothing of /etc/passwd in any output" sh -c \
	"! grep -qF '$(head -n 1 /etc/passwd)' '$T/out' '$T/err' '$T/r.json'"
ok "nothing of /etc/passwd in the output dir" sh -c \
	"! grep -rqF '$(head -n 1 /etc/passwd)' '$T/dl'"
is "a redirect out of the server's root: failed" "$(job up status)" failed
ok "a redirect out of the server's root: no file" test ! -e "$T/dl/up.txt"
is "an http redirect: ok" "$(job renamed status)" ok
ok "an http redirect: saved under the list's name" cmp "$T/dl/renamed.txt" \
	"$T/tree/target.txt"
ok "an http redirect: no file by the target's name" test ! -e "$T/dl/target.txt"
is "a redirect loop: failed" "$(job loop status)" failed
is "a redirect loop: not retried" "$(job loop attempts)" 1
like "a redirect loop: says so" "$(job loop error)" '[Rr]edirect'
is "a redirect loop: at most 10 redirects followed" \
	"$(server_stats | jq '[.requests[] | select(.path == "/loop.txt")] | length')" 11
is "endless body: failed" "$(job endless status)" failed
like "endless body: cut at --max-size" "$(job endless error)" \
	'^body larger than 102400 bytes'
ok "endless body: no file" test ! -e "$T/dl/endless.txt"
ok "the plain job still ran" cmp "$T/dl/ok.txt" "$T/tree/ok.txt"

# ---- truncated and reset bodies -------------------------------------------
server_reset
rule /ok.txt "truncate=0,truncate=0,truncate=0"
rule /target.txt "reset,reset,reset"
printf '%s/ok.txt\n%s/target.txt\n' "$U" "$U" >"$T/list2"
run_fp -o "$T/dl2" --retries 2 --report "$T/r2.json" books "$T/list2"
is "truncated and reset: exit 1" "$rc" 1
for n in ok target; do
	is "$n: failed after every attempt" \
		"$(jq -r --arg s "$U/$n.txt" '.jobs[] | select(.source == $s) | "\(.status) \(.attempts)"' "$T/r2.json")" \
		"failed 3"
	ok "$n: never published" test ! -e "$T/dl2/$n.txt"
done
done_testing
