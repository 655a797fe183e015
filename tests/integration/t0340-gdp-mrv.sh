#!/bin/sh
# gdp --mrv, --mrnev, --gapfill and --source: the parameters the server
# receives, the values they select from the fixture data, the start-up
# checks of options that exclude or need each other, and the error
# replies of the real API (an XML error to a JSON request, an HTTP 400)
# as one line naming the request.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t03lib.sh"
require_cmd jq awk

server_start --worldbank "$WB"
API="$SERVER_URL/v2"
last_query() {
	server_stats | jq -r '[.requests[] | select(.path | test("/indicator/"))] | last | .query'
}
# rows CODE IND: "YEAR VALUE" of the csv output for one economy.
rows() {
	awk -F, -v c="$1" '$1 == c { print $(NF - 2), $(NF - 1) }' "$T/out"
}

# ---- --mrv ---------------------------------------------------------------
run_fp gdp --api-url "$API" --mrv 3 --output csv USA
is "--mrv 3: exit 0" "$rc" 0
like "--mrv 3: mrv=3 sent" "$(last_query)" '^mrv=3&format=json&'
unlike "--mrv 3: no mrnev, no date" "$(last_query)" 'mrnev|date='
is "--mrv 3: the three latest years" "$(rows USA)" "$(latest "$GDP_CSV" USA 3)"

# ---- --mrnev -------------------------------------------------------------
run_fp gdp --api-url "$API" --mrnev 2 --output csv ABW AFG
is "--mrnev 2: exit 0" "$rc" 0
like "--mrnev 2: mrnev=2 sent" "$(last_query)" '^mrnev=2&format=json&'
for c in ABW AFG; do
	is "--mrnev 2: $c's two latest values" "$(rows $c)" "$(latest "$GDP_CSV" $c 2)"
done
run_fp gdp --api-url "$API" --year 2019 USA
like "default: no mrv, mrnev with --year" "$(last_query)" '^date=2019&format=json&per_page=1000$'

# ---- --gapfill -----------------------------------------------------------
# An economy whose generated series has a gap in 2021 between values.
GAP=$(awk "$CSVSPLIT"'
	{ n = csvsplit($0, f) }
	f[1] == "Country Name" { for (k = 5; k <= n; k++) col[f[k]] = k; next }
	f[col["2021"]] == "" && f[col["2020"]] != "" && f[col["2022"]] != "" &&
	    f[col["2023"]] != "" && f[2] != "" { print f[2]; exit }' "$POP_CSV")
ok "a gap in the generated data ($GAP)" test -n "$GAP"
run_fp gdp --api-url "$API" --indicator SP.POP.TOTL --mrv 3 --output csv "$GAP"
is "--mrv 3, gap: 2021 is empty" "$(rows "$GAP" | awk '{ print $1 }' | tr '\n' ' ')" "2023 2022 "
run_fp gdp --api-url "$API" --indicator SP.POP.TOTL --mrv 3 --gapfill --output csv "$GAP"
is "--gapfill: exit 0" "$rc" 0
like "--gapfill: gapfill=Y sent with mrv=3" "$(last_query)" '^mrv=3&gapfill=Y&'
is "--gapfill: 2021 takes 2020's value" "$(rows "$GAP" | awk '$1 == 2021 { print $2 }')" \
	"$(cell "$POP_CSV" "$GAP" 2020)"

# ---- --source ------------------------------------------------------------
run_fp gdp --api-url "$API" --source 2 --year 2019 USA
is "--source 2: exit 0" "$rc" 0
like "--source 2: source=2 sent" "$(last_query)" '&source=2(&|$)'
run_fp gdp --api-url "$API" --source 11 --year 2019 USA JPN
is "--source 11: exit 1" "$rc" 1
like "--source 11: the XML error to a JSON request, one line naming it" "$(cat "$T/err")" \
	"^fetchpool: gdp: USA: API error 120 \\(Invalid value\\): .* \\(http://127\\.0\\.0\\.1:$SERVER_PORT/v2/country/USA/indicator/NY\\.GDP\\.MKTP\\.CD\\?.*source=11"
is "--source 11: one line per request" "$(grep -c '^fetchpool: gdp: ' "$T/err")" 2

# An HTTP 400 (the API's HTML error page) names the request too.
server_rule /v2/country/JPN/indicator/NY.GDP.MKTP.CD 400 || BAIL_OUT "rule refused"
run_fp gdp --api-url "$API" --year 2019 USA JPN
is "HTTP 400: exit 1" "$rc" 1
like "HTTP 400: one line naming the country and the URL" "$(cat "$T/err")" \
	"^fetchpool: gdp: JPN: HTTP 400 .*\\(http://127\\.0\\.0\\.1:$SERVER_PORT/v2/country/JPN/indicator/"
like "HTTP 400: USA still prints" "$(cat "$T/out")" '^country: USA GDP: '

# ---- start-up checks: one line naming both options, exit 2 --------------
server_reset
check_pair() { # check_pair NAME MESSAGE-REGEX ARGS...
	local name=$1 msg=$2
	shift 2
	run_fp gdp --api-url "$API" "$@" USA
	is "$name: exit 2" "$rc" 2
	is "$name: one line" "$(wc -l <"$T/err" | tr -d ' ')" 1
	like "$name: names both" "$(cat "$T/err")" "$msg"
}
check_pair "--mrv with --year" '--mrv and --year exclude each other' --mrv 2 --year 2019
check_pair "--mrv with --date" '--mrv and --date exclude each other' --mrv 2 --date 2010:2019
check_pair "--mrnev with --year" '--mrnev and --year exclude each other' --year 2019 --mrnev 1
check_pair "--mrv with --mrnev" '--mrv and --mrnev exclude each other' --mrv 1 --mrnev 1
check_pair "--gapfill without --mrv" '^fetchpool: --gapfill needs --mrv$' --gapfill
check_pair "--gapfill with --mrnev" '^fetchpool: --gapfill needs --mrv$' --gapfill --mrnev 2
is "start-up checks fetched nothing" "$(server_stats | jq '.requests | length')" 0
done_testing
