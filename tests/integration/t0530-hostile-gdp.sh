#!/bin/sh
# gdp against hostile World Bank bodies: malformed and
# truncated JSON/XML, 5000-deep nesting, an endless body, entity bombs,
# external entities and DTDs, XInclude, hostile API error texts and names.
# Each is an error naming the request (or, for a valid body, clean text),
# the other countries still print, exit 1; nothing from /etc/passwd in any
# output, no request for an external DTD, peak RSS < 200 MB and < 5 s.
#
# The bodies are served as static files by `fixture-server --root`, laid
# out at the paths gdp asks for under --api-url $SERVER_URL/hostile (the
# static server ignores the query string).
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq od awk

# Bounds for the normal build; sanitizers and valgrind are slower and
# keep more memory (ASan's quarantine, shadow memory).
if [ -n "${FP_WRAPPER-}" ]; then
	scale=10
elif grep -Eq '__(tsan|asan)_init' "$FETCHPOOL" 2>/dev/null; then
	scale=3
else
	scale=1
fi
RSS_MAX_KB=$((200 * 1024 * scale))
WALL_MAX_MS=$((5000 * scale))
have_time=
[ -x /usr/bin/time ] && [ -z "${FP_WRAPPER-}" ] && have_time=yes

R=$T/root
IND=NY.GDP.MKTP.CD
body() { # body API CODE < BODY: the reply for one country's data
	mkdir -p "$R/$1/country/$2/indicator"
	cat >"$R/$1/country/$2/indicator/$IND"
}
clist() { # clist API < BODY: the reply for the country list
	mkdir -p "$R/$1/country"
	cat >"$R/$1/country/index.html"
}
repeat() { # repeat N TEXT
	awk -v n="$1" -v s="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}
has_raw_bytes() { # a control character (not tab/newline) or a non-ASCII byte
	[ "$(od -An -v -tu1 "$1" | tr -s ' ' '\n' |
		awk 'NF && ($1 < 32 && $1 != 9 && $1 != 10 || $1 == 127)' |
		wc -l)" -ne 0 ]
}
# measure NAME ARGS...: run fetchpool, $rc, $T/out, $T/err, peak RSS in
# $rss_kb (empty without /usr/bin/time) and wall time in $wall_ms.
measure() {
	local name=$1 t0
	shift
	t0=$(date +%s%3N)
	rc=0
	if [ -n "$have_time" ]; then
		timeout -k 10 "${FP_TIMEOUT:-120}" /usr/bin/time -f %M -o "$T/$name.rss" \
			"$FETCHPOOL" "$@" >"$T/out" 2>"$T/err" || rc=$?
		rss_kb=$(tail -n 1 "$T/$name.rss")
	else
		run_fp "$@"
		rss_kb=
	fi
	wall_ms=$(($(date +%s%3N) - t0))
}
bounded() { # bounded NAME: the last run stayed within memory and time
	if [ -n "$rss_kb" ]; then
		ok "$1: peak RSS ${rss_kb} KB < $RSS_MAX_KB KB" test "$rss_kb" -lt "$RSS_MAX_KB"
	else
		skip "$1: peak RSS" "/usr/bin/time not usable here"
	fi
	ok "$1: ${wall_ms} ms < $WALL_MAX_MS ms" test "$wall_ms" -lt "$WALL_MAX_MS"
}
no_passwd() { # no_passwd NAME: nothing of /etc/passwd in out, err
	local line hit=
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		if grep -qF -- "$line" "$T/out" "$T/err"; then hit=$line; break; fi
	done </etc/passwd
	is "$1: no line of /etc/passwd in any output" "$hit" ""
}

GOOD_JSON='[{"page":1,"pages":1,"per_page":50,"total":1},[{"indicator":{"id":"NY.GDP.MKTP.CD","value":"GDP"},"country":{"id":"JP","value":"Japan"},"countryiso3code":"JPN","date":"2019","value":5081769542379.77}]]'
printf '[{"page":1,"pages":1,"per_page":"1000","total":1},[{"id":"JPN","iso2Code":"JP","name":"Japan","region":{"id":"EAS","value":"East Asia & Pacific"}}]]' |
	clist hostile

# ---- JSON --------------------------------------------------------------
printf '%s' "$GOOD_JSON" | body hostile JPN
printf '[{"page":1,"pages":1,"per_page":50,"total":1},[{"country":{"id":"EV","value":"Evil\\u001b]0;owned\\u0007 \\u009b31m\\n"},"countryiso3code":"EVL","date":"2019","value":1e12}]]' |
	body hostile EVL
printf '%s' "$GOOD_JSON" | head -c 60 | body hostile TRJ      # truncated
printf '[{"page":1,,]' | body hostile MJS                       # malformed
printf '%s x' "$GOOD_JSON" | body hostile TRL                   # trailing junk
{ repeat 5000 '['; repeat 5000 ']'; } | body hostile DPA         # deep arrays
{ repeat 5000 '{"a":'; printf 1; repeat 5000 '}'; } | body hostile DPO
printf '' | body hostile EMP                                     # empty
printf '<html><body>502 Bad Gateway</body></html>' | body hostile HTM
printf '[{"page":1}\000,[]]' | body hostile NUL                  # raw NUL
printf '\377\376[\000{\000' | body hostile U16                   # UTF-16 BOM
printf '[{"page":1,"pages":1,"per_page":50,"total":1},[{"country":{"id":"JP","value":"Japan"},"countryiso3code":"JPN","date":"2019","value":"1e999"}]]' |
	body hostile INF                                             # not finite
printf '[{"message":[{"id":"120","key":"Invalid\\u001b[2J value","value":"bad\\nsecond line\\u001b]0;owned\\u0007"}]}]' |
	body hostile APE                                             # API error
{ printf '[{"page":1,"pages":1,"per_page":50,"total":1},[{"country":{"id":"JP","value":"'
  repeat 100000 'AAAAAAAAAA'; printf '"},"countryiso3code":"JPN","date":"2019","value":1}]]'; } |
	body hostile BIG                                             # 1 MB name
mkdir -p "$R/hostile/country/END/indicator"                      # endless
server_start --root "$R"
server_rule "/hostile/country/END/indicator/$IND" endless || BAIL_OUT "rule refused"
API=$SERVER_URL/hostile

bad_json="TRJ MJS TRL DPA DPO EMP HTM NUL U16 INF APE END"
measure json gdp --api-url "$API" JPN EVL BIG $bad_json
is "json: exit 1" "$rc" 1
out=$(cat "$T/out")
err=$(cat "$T/err")
like "json: the valid country still prints" "$out" '^country: JPN GDP: 5081\.8B$'
like "json: a valid body with a hostile name prints" "$out" '^country: EVL GDP: 1000\.0B$'
for c in $bad_json; do
	like "json: $c: an error naming the country and the request" "$err" \
		"^fetchpool: gdp: $c: .*\\(http://127\\.0\\.0\\.1:$SERVER_PORT/hostile/country/$c/indicator/"
done
is "json: one line per failed country" \
	"$(grep -c '^fetchpool: gdp: [A-Z0-9]*: ' "$T/err")" 12
like "json: deep nesting is malformed, not a crash" "$err" '^fetchpool: gdp: DPA: malformed JSON'
like "json: the endless body is cut at the cap" "$err" '^fetchpool: gdp: END: body larger than 67108864 bytes'
like "json: the API error is clear" "$err" '^fetchpool: gdp: APE: API error 120 \(Invalid'
if has_raw_bytes "$T/err"; then
	fail "json: stderr has no control character"
	diag "$(od -c "$T/err" | grep -n '033\|\\n' | head -n 5)"
else
	pass "json: stderr has no control character"
fi
if has_raw_bytes "$T/out"; then fail "json: stdout has no control character"
else pass "json: stdout has no control character"; fi
bounded json

measure json-csv gdp --output csv --api-url "$API" JPN EVL BIG
is "csv: exit 0" "$rc" 0
if has_raw_bytes "$T/out"; then fail "csv: a hostile name prints without control characters"
else pass "csv: a hostile name prints without control characters"; fi
like "csv: the 1 MB name is there, printable" "$(grep -c '^JPN,AAAA' "$T/out")" '^1$'
measure json-json gdp --output json --api-url "$API" JPN EVL
ok "json output: valid JSON despite the hostile name" jq -e . "$T/out"

# ---- XML ----------------------------------------------------------------
WB=$FIXTURES/worldbank/bodies
body hostile ITA <"$WB/gdp_ita_2017.xml"
body hostile BLX <"$WB/hostile_billion_laughs.xml"
body hostile XXE <"$WB/hostile_xxe_passwd.xml"
body hostile XDT <"$WB/hostile_xxe_dtd.xml"
body hostile PEN <"$FIXTURES/hostile/xxe_parameter.xml"
body hostile XIN <"$FIXTURES/hostile/xinclude.xml"
body hostile QBL <"$FIXTURES/hostile/quadratic_blowup.xml"
sed "s|@URL@|$SERVER_URL|" "$FIXTURES/hostile/dtd_http.xml" | body hostile NET
{ repeat 5000 '<a>'; repeat 5000 '</a>'; } | body hostile DPX
head -c 150 "$WB/gdp_ita_2017.xml" | body hostile TRX
printf '<wb:data xmlns:wb="http://www.worldbank.org" page="1"><wb:data></wb:dat></wb:data>' |
	body hostile MXL
printf '<?xml version="1.0" encoding="utf-8"?><wb:error xmlns:wb="http://www.worldbank.org"><wb:message id="1" key="k">\033[2Jgone\033]0;owned\007</wb:message></wb:error>' |
	body hostile XAE

bad_xml="BLX XXE XDT PEN NET DPX TRX MXL XAE QBL"
measure xml gdp --format xml --output csv --api-url "$API" ITA XIN $bad_xml
is "xml: exit 1" "$rc" 1
out=$(cat "$T/out")
err=$(cat "$T/err")
like "xml: the valid country still prints" "$out" '^ITA,Italy,2017,1934797937411\.33,false$'
for c in $bad_xml; do
	like "xml: $c: an error naming the country and the request" "$err" \
		"^fetchpool: gdp: $c: .*\\(http://127\\.0\\.0\\.1:$SERVER_PORT/hostile/country/$c/indicator/"
done
for c in BLX XXE XDT PEN NET; do
	like "xml: $c: refused for its DOCTYPE" "$err" "^fetchpool: gdp: $c: XML with a DOCTYPE is not accepted"
done
like "xml: XInclude is not processed" "$out" '^XIN,,2019,1,false$'
no_passwd xml
is "xml: no request for the external DTD" \
	"$(server_stats | jq '[.requests[] | select(.path | endswith(".dtd"))] | length')" 0
if has_raw_bytes "$T/err"; then
	fail "xml: stderr has no control character"
	diag "$(od -c "$T/err" | head -n 20)"
else
	pass "xml: stderr has no control character"
fi
bounded xml

# ---- all economies: hostile page 1 and country list ---------------------
mkdir -p "$R/h2/country/all/indicator"
{ repeat 5000 '['; repeat 5000 ']'; } >"$R/h2/country/all/indicator/$IND"
clist h2 <"$WB/hostile_billion_laughs.xml"
measure all gdp --api-url "$SERVER_URL/h2"
is "all: exit 1" "$rc" 1
like "all: page 1 named" "$(cat "$T/err")" '^fetchpool: gdp: page 1 of all economies: malformed JSON'
like "all: the country list named" "$(cat "$T/err")" '^fetchpool: gdp: country list page 1: XML with a DOCTYPE'
bounded all

# ---- a page count no server has ------------------------------------------
# Page 1 claims a billion pages: an error naming the request, a handful of
# requests, and the run ends by itself.
mkdir -p "$R/h3/country/all/indicator"
printf '[{"page":1,"pages":1000000000,"per_page":1000,"total":1000000000000},[{"country":{"id":"JP","value":"Japan"},"countryiso3code":"JPN","date":"2019","value":1}]]' \
	>"$R/h3/country/all/indicator/$IND"
printf '[{"page":1,"pages":1000000000,"per_page":"1000","total":1000000000000},[{"id":"JPN","iso2Code":"JP","name":"Japan","region":{"id":"EAS","value":"East Asia"}}]]' |
	clist h3
server_reset
# stderr through a pipe that closes after 64 KB: a loop over the claimed
# pages would write gigabytes. SIGTERM after 6 s, SIGKILL 2 s later.
{ timeout -k 2 6 "$FETCHPOOL" gdp --api-url "$SERVER_URL/h3" 2>&1 >"$T/out"
  echo $? >"$T/rc"; } | head -c 65536 >"$T/err"
rc=$(cat "$T/rc")
nreq=$(server_stats | jq '.total_requests')
is "pages bomb: fetchpool ends by itself" "$rc" 1
ok "pages bomb: at most a few requests ($nreq)" test "$nreq" -le 10
ok "pages bomb: a clear error naming page 1" \
	grep -q '^fetchpool: gdp: page 1 of all economies: .*pages' "$T/err"
ok "pages bomb: a clear error naming the country list" \
	grep -q '^fetchpool: gdp: country list page 1: .*pages' "$T/err"
is "pages bomb: one line each, not a flood" "$(wc -l <"$T/err" | tr -d ' ')" 3
done_testing
