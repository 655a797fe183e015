#!/bin/sh
# Fixture server, --worldbank: /v2 paths reach the World Bank emulation
# with their query, and fault rules and latency apply to them like to any
# other path. (The emulation's own answers are tested by its owner.)
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd curl jq

W=$FIXTURES/worldbank
[ -d "$W/gdp" ] || skip_all "no World Bank fixtures in $W"

P=/v2/country/USA/indicator/NY.GDP.MKTP.CD
Q='format=json&mrnev=1'

get() {
	rm -f "$T/body" "$T/hdr"
	curl -sS --max-time 30 -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@"
}

server_start --worldbank "$W"
U=$SERVER_URL

is "a /v2 request: 200" "$(get "$U$P?$Q")" 200
ok "answers JSON" jq -e . "$T/body"
is "the query reached the module (one record for mrnev=1)" \
	"$(jq '.[1] | length' "$T/body")" 1
is "for the country asked" "$(jq -r '.[1][0].countryiso3code' "$T/body")" USA
is "format=xml reaches it too" \
	"$(get "$U$P?format=xml&mrnev=1" >/dev/null; head -c 200 "$T/body" | grep -c 'wb:data')" 1
is "/v2 alone is not a module path" "$(get "$U/v2")" 404
server_stats >"$T/st"
is "recorded with path and query as sent" \
	"$(jq -r '.requests[0] | .path + "?" + .query' "$T/st")" "$P?$Q"

ok "a rule on a /v2 path" server_rule "$P" '503+ra=1,truncate=20,reset'
is "rule status" "$(get "$U$P?$Q")" 503
is "Retry-After" "$(sed -n 's/^Retry-After: *//Ip' "$T/hdr" | tr -d '\r')" 1
get "$U$P?$Q" >/dev/null 2>&1
is "truncated JSON: 20 bytes" "$(file_size "$T/body")" 20
ok "and not valid JSON" sh -c "! jq -e . '$T/body' >/dev/null 2>&1"
is "reset" "$(get "$U$P?$Q" 2>/dev/null)" 000
is "then normal" "$(get "$U$P?$Q")" 200

server_start --worldbank "$W" --latency 800
t0=$(date +%s%N)
is "with --latency: 200" "$(get "$SERVER2_URL$P?$Q")" 200
ms=$((($(date +%s%N) - t0) / 1000000))
ok "and delayed ($ms ms)" test "$ms" -ge 800

done_testing
