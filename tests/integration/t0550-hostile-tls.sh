#!/bin/sh
# TLS defaults: certificate and host verification are on
# unless --insecure is given; --cacert names the trusted CA. Checked
# against the plain-HTTP fixture server (a TLS client meets no TLS) and,
# when the openssl CLI is installed, a real TLS peer (`openssl s_server`)
# with a self-signed certificate made in $T.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

status() { jq -r '.jobs[0].status' "$1"; }
attempts() { jq -r '.jobs[0].attempts' "$1"; }
error() { jq -r '.jobs[0].error' "$1"; }

# ---- https:// to a plain HTTP server -------------------------------------
mkdir -p "$T/tree"
printf 'plain\n' >"$T/tree/a.txt"
server_start --root "$T/tree"
printf 'https://127.0.0.1:%s/a.txt\n' "$SERVER_PORT" >"$T/list"
run_fp -o "$T/dl" --report "$T/r.json" books "$T/list"
is "https to plain HTTP: exit 1" "$rc" 1
is "https to plain HTTP: failed" "$(status "$T/r.json")" failed
like "https to plain HTTP: a TLS error" "$(error "$T/r.json")" '(SSL|TLS)'
like "https to plain HTTP: on stderr, naming the URL" "$(cat "$T/err")" \
	"^Failed downloading a\\.txt: .*(SSL|TLS).*https://127\\.0\\.0\\.1:$SERVER_PORT/a\\.txt"
ok "https to plain HTTP: no file" test ! -e "$T/dl/a.txt"
# A peer that does not speak TLS answers the same way every time: the
# handshake failure is permanent, one attempt, no retry.
is "https to plain HTTP: permanent, one attempt" "$(attempts "$T/r.json")" 1
unlike "https to plain HTTP: not reported as retried" "$(error "$T/r.json")" \
	'after [0-9]+ attempts'

# ---- a TLS handshake cut by a reset is transient ----------------------------
# t05rawserver --reset reads the ClientHello and answers with an RST.
RAWSERVER=${RAWSERVER:-$(cd "$(dirname "$FETCHPOOL")/.." && pwd)/tests/integration/t05rawserver}
[ -x "$RAWSERVER" ] || BAIL_OUT "t05rawserver not built: $RAWSERVER"
"$RAWSERVER" --reset --port-file "$T/rstport" --log "$T/rst.log" \
	</dev/null >"$T/rst.out" 2>&1 &
RST_PID=$!
wait_until 10 test -s "$T/rstport" || BAIL_OUT "t05rawserver --reset did not start"
printf 'https://127.0.0.1:%s/r.txt\n' "$(cat "$T/rstport")" >"$T/rlist"
run_fp -o "$T/dlr" --retries 2 --report "$T/rr.json" books "$T/rlist"
kill -TERM "$RST_PID" 2>/dev/null
wait "$RST_PID" 2>/dev/null
is "TLS handshake reset: exit 1" "$rc" 1
is "TLS handshake reset: retried, 3 attempts" "$(attempts "$T/rr.json")" 3
is "TLS handshake reset: the peer saw 3 connections" \
	"$(grep -c '^reset ' "$T/rst.log")" 3
like "TLS handshake reset: the error says reset" "$(error "$T/rr.json")" \
	'[Rr]eset.* after 3 attempts'

# ---- --cacert that does not exist ------------------------------------------
run_fp -o "$T/dl2" --cacert /nonexistent/ca.pem --report "$T/r2.json" books "$T/list"
is "--cacert /nonexistent: refused at start-up (exit 2)" "$rc" 2
like "--cacert /nonexistent: the error names the file" "$(cat "$T/err")" \
	'/nonexistent/ca\.pem'
ok "--cacert /nonexistent: nothing saved" test ! -e "$T/dl2/a.txt"

# ---- a real TLS peer ----------------------------------------------------------
if ! command -v openssl >/dev/null 2>&1; then
	skip "TLS peer tests" "openssl is not installed"
	done_testing
fi
# certificate for 127.0.0.1 (IP SAN); a second one for "localhost" only
mkcert() { # mkcert NAME SUBJECT SAN
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		-keyout "$T/$1.key" -out "$T/$1.pem" -subj "$2" \
		-addext "subjectAltName=$3" >"$T/$1.log" 2>&1
}
mkcert ip /CN=127.0.0.1 IP:127.0.0.1 || BAIL_OUT "openssl req failed: $(cat "$T/ip.log")"
mkcert dns /CN=localhost DNS:localhost || BAIL_OUT "openssl req failed"
mkdir -p "$T/www"
printf 'hello over tls\n' >"$T/www/hello.txt"

TLS_PID=
tls_start() { # tls_start CERT: serve $T/www over TLS; sets TLS_URL
	tls_stop
	rm -f "$T/tls.log"
	(cd "$T/www" && exec openssl s_server -accept 127.0.0.1:0 \
		-cert "$T/$1.pem" -key "$T/$1.key" -WWW) \
		</dev/null >"$T/tls.log" 2>&1 &
	TLS_PID=$!
	wait_until 10 grep -q '^ACCEPT 127\.0\.0\.1:[0-9]' "$T/tls.log" ||
		BAIL_OUT "openssl s_server did not start: $(cat "$T/tls.log")"
	TLS_URL=https://127.0.0.1:$(sed -n 's/^ACCEPT 127\.0\.0\.1://p' "$T/tls.log" | head -n 1)
}
tls_stop() {
	if [ -n "$TLS_PID" ]; then
		kill "$TLS_PID" 2>/dev/null
		wait "$TLS_PID" 2>/dev/null
		TLS_PID=
	fi
}
trap 'st=$?; tls_stop; (exit $st); _lib_exit' EXIT

tls_start ip
printf '%s/hello.txt\n' "$TLS_URL" >"$T/tlist"
run_fp -o "$T/t1" --report "$T/t1.json" books "$T/tlist"
is "self-signed, default: exit 1" "$rc" 1
is "self-signed, default: failed" "$(status "$T/t1.json")" failed
like "self-signed, default: a certificate error" "$(error "$T/t1.json")" 'certificate'
is "self-signed, default: not retried" "$(attempts "$T/t1.json")" 1
ok "self-signed, default: nothing saved" sh -c \
	"[ ! -e '$T/t1/hello.txt' ] && [ ! -e '$T/t1/hello.txt.part' ]"

run_fp -o "$T/t2" --cacert "$T/ip.pem" books "$T/tlist"
is "--cacert with the certificate: exit 0" "$rc" 0
ok "--cacert: saved" cmp "$T/t2/hello.txt" "$T/www/hello.txt"

run_fp -o "$T/t3" --insecure books "$T/tlist"
is "--insecure: exit 0" "$rc" 0
ok "--insecure: saved" cmp "$T/t3/hello.txt" "$T/www/hello.txt"

# Host verification: a trusted certificate for another name.
tls_start dns
printf '%s/hello.txt\n' "$TLS_URL" >"$T/tlist"
run_fp -o "$T/t4" --cacert "$T/dns.pem" --report "$T/t4.json" books "$T/tlist"
is "certificate for another host: exit 1" "$rc" 1
like "certificate for another host: says so" "$(error "$T/t4.json")" \
	'(certificate|match|name)'
ok "certificate for another host: nothing saved" test ! -e "$T/t4/hello.txt"
run_fp -o "$T/t5" --insecure books "$T/tlist"
is "certificate for another host, --insecure: exit 0" "$rc" 0
tls_stop
done_testing
