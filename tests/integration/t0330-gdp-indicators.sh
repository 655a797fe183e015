#!/bin/sh
# gdp --indicator A,B: several indicators in one request per country (or
# per page of all economies) with source=2, as the API requires; every
# output format; requests split at the API's limits (60 codes, 1,500
# characters per segment, 4,000 per URL); usage errors. SP.POP.TOTL is
# the fixture's generated indicator (made-up values, see SOURCES.md).
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t03lib.sh"
require_cmd jq awk comm

server_start --worldbank "$WB"
API="$SERVER_URL/v2"
TWO=NY.GDP.MKTP.CD,SP.POP.TOTL
data_requests() {
	server_stats | jq -c '[.requests[] | select(.path | test("/indicator/"))]'
}
m1() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1e6 }'; }
b1() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1e9 }'; }

# ---- lines, per country ------------------------------------------------
run_fp gdp --api-url "$API" --indicator "$TWO" USA JPN
is "lines: exit 0" "$rc" 0
usa_gdp=$(latest "$GDP_CSV" USA | cut -d' ' -f2)
usa_pop=$(latest "$POP_CSV" USA | cut -d' ' -f2)
like "lines: USA with both, GDP in B, population in M" "$(cat "$T/out")" \
	"^country: USA NY\\.GDP\\.MKTP\\.CD: $(b1 "$usa_gdp")B SP\\.POP\\.TOTL: $(m1 "$usa_pop")M\$"
is "lines: one line per country" "$(grep -c '^country: ' "$T/out")" 2
like "lines: a summary per indicator (GDP)" "$(cat "$T/out")" \
	'^summary NY\.GDP\.MKTP\.CD: 2 economies with data \(2 countries, 0 aggregates\), 0 without data$'
like "lines: a summary per indicator (population)" "$(cat "$T/out")" \
	'^top 2 SP\.POP\.TOTL: '
r=$(data_requests)
is "one request per country" "$(echo "$r" | jq length)" 2
is "both indicators in one path segment" \
	"$(echo "$r" | jq -r '[.[].path] | sort | join(" ")')" \
	"/v2/country/JPN/indicator/NY.GDP.MKTP.CD;SP.POP.TOTL /v2/country/USA/indicator/NY.GDP.MKTP.CD;SP.POP.TOTL"
is "source=2 sent with several indicators" \
	"$(echo "$r" | jq '[.[].query | select(test("(^|&)source=2(&|$)"))] | length')" 2

# ---- csv, several years --------------------------------------------------
run_fp gdp --api-url "$API" --indicator "$TWO" --date 2018:2019 --output csv USA WLD
is "csv: exit 0" "$rc" 0
is "csv: the long header" "$(head -1 "$T/out")" "code,name,indicator,year,value,aggregate"
is "csv: 2 economies x 2 indicators x 2 years" "$(($(wc -l <"$T/out") - 1))" 8
for c in USA WLD; do
	for y in 2018 2019; do
		is "csv: $c $y GDP exact" \
			"$(awk -F, -v c=$c -v y=$y '$1 == c && $3 == "NY.GDP.MKTP.CD" && $4 == y { print $5 }' "$T/out")" \
			"$(cell "$GDP_CSV" $c $y)"
		is "csv: $c $y population exact" \
			"$(awk -F, -v c=$c -v y=$y '$1 == c && $3 == "SP.POP.TOTL" && $4 == y { print $5 }' "$T/out")" \
			"$(cell "$POP_CSV" $c $y)"
	done
done
is "csv: WLD marked an aggregate" "$(awk -F, '$1 == "WLD" && $6 != "true"' "$T/out")" ""
cp "$T/out" "$T/json.csv"
run_fp gdp --api-url "$API" --indicator "$TWO" --date 2018:2019 --output csv --format xml USA WLD
is "xml gives the same records as json" "$(sort "$T/out")" "$(sort "$T/json.csv")"
run_fp gdp --api-url "$API" --indicator "$TWO" --date 2018:2019 USA
like "lines, several years: one line per year" "$(cat "$T/out")" \
	"^country: USA 2019 NY\\.GDP\\.MKTP\\.CD: $(b1 "$(cell "$GDP_CSV" USA 2019)")B SP\\.POP\\.TOTL: $(m1 "$(cell "$POP_CSV" USA 2019)")M\$"

# ---- json, all economies -------------------------------------------------
server_reset
run_fp gdp --api-url "$API" --indicator "$TWO" --per-page 200 --output json
is "json all: exit 0" "$rc" 0
is "json all: the indicators" "$(jq -c .indicators "$T/out")" '["NY.GDP.MKTP.CD","SP.POP.TOTL"]'
for ind in NY.GDP.MKTP.CD SP.POP.TOTL; do
	csv=$GDP_CSV
	[ "$ind" = SP.POP.TOTL ] && csv=$POP_CSV
	want=$(intersect "$(with_data "$csv")" "$(list_select "" "" "" )" | wc -l)
	is "json all: $ind: one record per economy with data" \
		"$(jq --arg i $ind '[.records[] | select(.indicator == $i)] | length' "$T/out")" "$want"
	is "json all: $ind: its own summary" \
		"$(jq --arg i $ind '.summary[$i].countries + .summary[$i].aggregates' "$T/out")" "$want"
done
r=$(data_requests)
is "json all: pages of country/all with both indicators" \
	"$(echo "$r" | jq '[.[] | select(.path == "/v2/country/all/indicator/NY.GDP.MKTP.CD;SP.POP.TOTL")] | length')" \
	"$(echo "$r" | jq length)"
ok "json all: several pages" test "$(echo "$r" | jq length)" -ge 2

# ---- one indicator that is not GDP ---------------------------------------
server_reset
run_fp gdp --api-url "$API" --indicator SP.POP.TOTL --output csv --year 2019 USA
is "one other indicator: the long csv" "$(cat "$T/out")" \
	"code,name,indicator,year,value,aggregate
USA,United States,SP.POP.TOTL,2019,$(cell "$POP_CSV" USA 2019),false"
is "one indicator: no source= sent" \
	"$(data_requests | jq '[.[].query | select(test("source="))] | length')" 0

# ---- request splitting ---------------------------------------------------
# codes N LEN: N distinct made-up codes of LEN characters.
codes() {
	awk -v n="$1" -v len="$2" 'BEGIN {
		for (i = 1; i <= n; i++) {
			s = sprintf("X.%06d.", i)
			while (length(s) < len) s = s "Z"
			printf "%s%s", (i > 1 ? "," : ""), s
		}
	}'
}
# 60 short codes: one request.
server_reset
run_fp gdp --api-url "$API" --indicator "$(codes 58 12),$TWO" USA
is "60 short codes: exit 1 (the API knows 2 of them)" "$rc" 1
r=$(data_requests)
is "60 short codes: one request" "$(echo "$r" | jq length)" 1
is "60 short codes: all in it" \
	"$(echo "$r" | jq -r '.[0].path' | sed 's|.*/indicator/||' | tr ';' '\n' | grep -c .)" 60
like "60 short codes: the error names the request" "$(cat "$T/err")" \
	'^fetchpool: gdp: USA \(indicators 1-60 of 60\): API error 120 '
# 60 codes of 40 characters: 41 per code with the ';' makes 36 per
# 1,500-character segment, so 2 requests (36 + 24).
server_reset
run_fp gdp --api-url "$API" --indicator "$(codes 60 40)" USA
r=$(data_requests)
is "60 long codes: two requests" "$(echo "$r" | jq length)" 2
segs=$(echo "$r" | jq -r '.[].path' | sed 's|.*/indicator/||')
is "60 long codes: 36 + 24, in order" \
	"$(echo "$segs" | awk -F';' '{ print NF }' | sort -n | tr '\n' ' ')" "24 36 "
ok "60 long codes: each segment at most 1,500 characters" \
	test "$(echo "$segs" | awk '{ print length }' | sort -n | tail -1)" -le 1500
is "60 long codes: every code asked once" \
	"$(echo "$segs" | tr ';' '\n' | sort | tr '\n' ',' | sed 's/,$//')" \
	"$(codes 60 40 | tr ',' '\n' | sort | tr '\n' ',' | sed 's/,$//')"
is "60 long codes: two errors, one per request" "$(grep -c '^fetchpool: gdp: USA (indicators' "$T/err")" 2
# The 4,000-character URL limit, seen in the plan: a base of about 2,930
# characters leaves room for fewer codes than the segment limit allows.
base="$API/$(awk 'BEGIN { while (n++ < 2900) printf "a" }')"
run_fp gdp --api-url "$base" --dry-run --indicator "$(codes 60 40)" USA
is "URL limit: exit 0" "$rc" 0
ok "URL limit: more requests than for the segment limit alone" \
	test "$(grep -c ' -> USA$' "$T/out")" -gt 2
ok "URL limit: every URL at most 4,000 characters" \
	test "$(sed 's/ -> .*//' "$T/out" | awk '{ print length }' | sort -n | tail -1)" -le 4000
is "URL limit: every code planned once" \
	"$(sed -n 's|.*/indicator/\([^?]*\)?.* -> USA$|\1|p' "$T/out" | tr ';' '\n' | grep -c .)" 60

# ---- usage errors --------------------------------------------------------
server_reset
run_fp gdp --api-url "$API" --indicator "$(codes 61 12)" USA
is "61 codes: exit 2" "$rc" 2
like "61 codes: the limit named" "$(cat "$T/err")" '^fetchpool: --indicator: at most 60 codes, got 61$'
run_fp gdp --api-url "$API" --indicator NY.GDP.MKTP.CD,ny.gdp.mktp.cd USA
is "a code twice: exit 2" "$rc" 2
like "a code twice: named" "$(cat "$T/err")" "'ny.gdp.mktp.cd' is given twice"
run_fp gdp --api-url "$API" --indicator 'NY.GDP;X' USA
is "a ';' in a code: exit 2" "$rc" 2
run_fp gdp --api-url "$API" --indicator 'NY.GDP.MKTP.CD,' USA
is "an empty code: exit 2" "$rc" 2
is "usage errors fetched nothing" "$(server_stats | jq '.requests | length')" 0
done_testing
