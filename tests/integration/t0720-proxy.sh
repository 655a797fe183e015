#!/bin/sh
# Requests through a real forward proxy: tinyproxy, started here on
# 127.0.0.1 with a private configuration (basic auth, its own Via name),
# in the foreground, stopped by its pid. The fixture server sees the
# proxy's Via header on requests that went through it. --proxy with
# credentials in its URL works and never prints them; without them the
# proxy refuses (so they were sent); --noproxy bypasses it; without
# --proxy, http_proxy / ALL_PROXY are honoured and no_proxy / NO_PROXY
# bypass, as curl does. tinyproxy missing is a failure: scripts/bootstrap
# installs it.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

command -v tinyproxy >/dev/null 2>&1 ||
	BAIL_OUT "tinyproxy is not installed (scripts/bootstrap installs it)"
unset http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

mkdir "$T/www"
printf 'alpha\n' >"$T/www/a.txt"
server_start --root "$T/www"
printf '%s\n' "$SERVER_URL/a.txt" >"$T/list"

# ---- the proxy -----------------------------------------------------------------
TP_PID=
tp_stop() {
	[ -n "$TP_PID" ] || return 0
	kill "$TP_PID" 2>/dev/null
	wait_until 10 sh -c "! kill -0 $TP_PID 2>/dev/null" ||
		kill -KILL "$TP_PID" 2>/dev/null
	wait "$TP_PID" 2>/dev/null
	TP_PID=
}
trap 'tp_stop; _lib_exit' EXIT

# A port of our own: tinyproxy takes a fixed one, so try a few.
for try in 1 2 3 4 5 6 7 8; do
	TP_PORT=$((20000 + ($$ * 7 + try * 1009) % 30000))
	cat >"$T/tinyproxy.conf" <<CONF
Port $TP_PORT
Listen 127.0.0.1
Allow 127.0.0.1
Timeout 30
MaxClients 16
ViaProxyName "fp-test-proxy"
BasicAuth puser PROXY-SECRET-1
LogLevel Info
CONF
	tinyproxy -d -c "$T/tinyproxy.conf" >"$T/tinyproxy.log" 2>&1 &
	TP_PID=$!
	if wait_until 10 grep -q 'Accepting connections' "$T/tinyproxy.log"; then
		break
	fi
	tp_stop
done
[ -n "$TP_PID" ] || BAIL_OUT "tinyproxy did not start: $(tail -n 5 "$T/tinyproxy.log")"
PROXY="http://puser:PROXY-SECRET-1@127.0.0.1:$TP_PORT"

via() {
	server_stats | jq -r '[.requests[] | select(.path == "/a.txt")][0].headers.via'
}
no_secret() {
	local f hits=
	for f in "$T/out" "$T/err" "$T/report.json" "$T"/dl*/.fetchpool.state; do
		[ -f "$f" ] && grep -qF -- "$2" "$f" && hits="$hits $f"
	done
	is "$1" "${hits:-none}" none
}

# ---- --proxy ---------------------------------------------------------------------
run_fp -v -o "$T/dl1" --report "$T/report.json" --proxy "$PROXY" \
	books "$T/list"
is "--proxy: exit 0" "$rc" 0
is "  the file" "$(cat "$T/dl1/a.txt")" alpha
like "  the server saw tinyproxy's Via" "$(via)" 'fp-test-proxy'
like "  the proxy logged it" "$(cat "$T/tinyproxy.log")" \
	"GET $SERVER_URL/a.txt"
like "  -v names the proxy without its password" "$(cat "$T/err")" \
	"^proxy http://127\.0\.0\.1:$TP_PORT$"
no_secret "  the proxy password never printed or stored" PROXY-SECRET-1

# Without the credentials tinyproxy answers 407: they were what it checked.
server_reset
run_fp -o "$T/dl2" --retries 0 --proxy "http://127.0.0.1:$TP_PORT" \
	books "$T/list"
is "--proxy without credentials: exit 1" "$rc" 1
like "  407 from the proxy" "$(cat "$T/err")" '407'
is "  nothing reached the server" "$(server_stats | jq '.total_requests')" 0

# ---- --noproxy -----------------------------------------------------------------
server_reset
run_fp -o "$T/dl3" --proxy "$PROXY" --noproxy 127.0.0.1 books "$T/list"
is "--noproxy 127.0.0.1: exit 0" "$rc" 0
is "  straight to the server: no Via" "$(via)" null
server_reset
run_fp -o "$T/dl3b" --proxy "$PROXY" --noproxy '*' books "$T/list"
is "--noproxy '*': no Via" "$(via)" null

# ---- the environment, as curl --------------------------------------------------
server_reset
http_proxy=$PROXY run_fp -v -o "$T/dl4" books "$T/list"
is "http_proxy: exit 0" "$rc" 0
like "  through the proxy" "$(via)" 'fp-test-proxy'
no_secret "  its password never printed" PROXY-SECRET-1
server_reset
ALL_PROXY=$PROXY run_fp -o "$T/dl5" books "$T/list"
is "ALL_PROXY: exit 0" "$rc" 0
like "  through the proxy" "$(via)" 'fp-test-proxy'
server_reset
http_proxy=$PROXY no_proxy=127.0.0.1 run_fp -o "$T/dl6" books "$T/list"
is "http_proxy + no_proxy: exit 0" "$rc" 0
is "  no_proxy bypasses it" "$(via)" null
server_reset
http_proxy=$PROXY NO_PROXY=127.0.0.1 run_fp -o "$T/dl7" books "$T/list"
is "  NO_PROXY too" "$(via)" null
server_reset
http_proxy=$PROXY run_fp -o "$T/dl8" --noproxy 127.0.0.1 books "$T/list"
is "  and --noproxy" "$(via)" null

# ---- bad values: exit 2, the password not echoed ---------------------------------
run_fp -o "$T/dl9" --proxy 'http://u:BAD-SECRET-2@127.0.0.1 :1' books "$T/list"
is "--proxy with a blank: exit 2" "$rc" 2
like "  one line naming --proxy" "$(cat "$T/err")" '^fetchpool: --proxy: '
unlike "  without the password" "$(cat "$T/err")" 'BAD-SECRET-2'
run_fp -o "$T/dl9" --proxy '' books "$T/list"
is "--proxy '': exit 2" "$rc" 2

tp_stop
done_testing
