#!/bin/sh
# gdp --region/--income/--lending and --aggregates: which economies print
# is checked against the fixture's country list; the country list is
# fetched before the data; groups AND with each other and with COUNTRY
# codes; the summary stays over the selected countries.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t03lib.sh"
require_cmd jq awk comm

server_start --worldbank "$WB"
API="$SERVER_URL/v2"
HAVE=$(with_data "$GDP_CSV")

# expect NAME REGION INCOME LENDING: the last run printed exactly the
# listed economies of the groups that have data, and counted the others
# as missing.
expect() {
	local want
	want=$(intersect "$(list_select "$2" "$3" "$4")" "$HAVE")
	is "$1: the economies of the groups with data" \
		"$(jq -r '.records[].code' "$T/out" | sort | tr '\n' ' ')" \
		"$(printf '%s\n' "$want" | tr '\n' ' ')"
	is "$1: the others count as missing" "$(jq .summary.missing "$T/out")" \
		"$(($(list_select "$2" "$3" "$4" | wc -l) - $(printf '%s\n' "$want" | grep -c .)))"
}

run_fp gdp --api-url "$API" --region EAS --output json
is "--region EAS: exit 0" "$rc" 0
expect "--region EAS" "East Asia & Pacific" "" ""
s=$(server_stats)
is "--region EAS: two requests" "$(echo "$s" | jq '.requests | length')" 2
is "--region EAS: the country list first" "$(echo "$s" | jq -r '.requests[0].path')" /v2/country
is "--region EAS: then all economies" "$(echo "$s" | jq -r '.requests[1].path')" \
	/v2/country/all/indicator/NY.GDP.MKTP.CD

run_fp gdp --api-url "$API" --income HIC --lending IBD --output json
is "--income HIC --lending IBD: exit 0" "$rc" 0
expect "--income HIC --lending IBD" "" "High income" "IBRD"
ok "--income HIC --lending IBD: some economy selected" \
	test "$(jq '.records | length' "$T/out")" -gt 0

run_fp gdp --api-url "$API" --lending idx --output json --format xml
is "--lending idx (lower case), xml: exit 0" "$rc" 0
expect "--lending idx, xml" "" "" "IDA"

run_fp gdp --api-url "$API" --region LCN --income UMC --lending IBD --output json
is "three groups: exit 0" "$rc" 0
expect "three groups" "Latin America & Caribbean" "Upper middle income" "IBRD"

# Groups AND COUNTRY codes: USA is not in EAS, so it is not even asked for.
server_reset
run_fp gdp --api-url "$API" --region EAS --year 2019 JPN USA CHN
is "--region EAS JPN USA CHN: exit 0" "$rc" 0
is "--region EAS JPN USA CHN: JPN and CHN print" \
	"$(sed -n 's/^country: \([A-Z]*\) GDP: .*/\1/p' "$T/out" | sort | tr '\n' ' ')" "CHN JPN "
like "--region EAS JPN USA CHN: JPN's value" "$(cat "$T/out")" \
	"^country: JPN GDP: $(awk -v v="$(cell "$GDP_CSV" JPN 2019)" 'BEGIN { printf "%.1f", v / 1e9 }')B\$"
is "--region EAS JPN USA CHN: USA not requested" \
	"$(server_stats | jq '[.requests[] | select(.path | test("/USA/"))] | length')" 0
like "--region EAS JPN USA CHN: nothing missing" "$(cat "$T/out")" '0 without data$'

# --aggregates: what prints; the summary does not change.
run_fp gdp --api-url "$API" --output json
cp "$T/out" "$T/include.json"
run_fp gdp --api-url "$API" --output json --aggregates only
is "--aggregates only: exit 0" "$rc" 0
is "--aggregates only: every record an aggregate of the list" \
	"$(jq -r '.records[].code' "$T/out" | sort | tr '\n' ' ')" \
	"$(intersect "$(list_aggregates)" "$HAVE" | tr '\n' ' ')"
is "--aggregates only: the summary as with include" \
	"$(jq -c .summary "$T/out")" "$(jq -c .summary "$T/include.json")"
run_fp gdp --api-url "$API" --output csv --aggregates exclude
is "--aggregates exclude: exit 0" "$rc" 0
is "--aggregates exclude: no aggregate" "$(grep -c ',true$' "$T/out")" 0
is "--aggregates exclude: every country with data" "$(($(wc -l <"$T/out") - 1))" \
	"$(jq .summary.countries "$T/include.json")"
run_fp gdp --api-url "$API" --aggregates exclude --year 2019 USA WLD EUU
is "--aggregates exclude, lines: USA alone" "$(grep -c '^country: ' "$T/out")" 1
like "--aggregates exclude, lines: USA" "$(cat "$T/out")" '^country: USA GDP: '

# Bad group codes.
server_reset
run_fp gdp --api-url "$API" --region XYZ
is "--region XYZ: exit 1" "$rc" 1
like "--region XYZ: one line naming it" "$(cat "$T/err")" \
	"^fetchpool: gdp: --region 'XYZ' matches no economy of the country list\$"
is "--region XYZ: only the country list fetched" "$(server_stats | jq '.requests | length')" 1
run_fp gdp --api-url "$API" --income 'H!C'
is "--income H!C: exit 2" "$rc" 2
like "--income H!C: the message" "$(cat "$T/err")" "invalid value 'H!C' for --income"

# Without the country list nothing can be selected.
server_rule /v2/country 500 || BAIL_OUT "rule refused"
run_fp gdp --api-url "$API" --retries 0 --region EAS
is "list failed: exit 1" "$rc" 1
like "list failed: said so" "$(cat "$T/err")" 'cannot select economies without the country list'
is "list failed: no data requested" \
	"$(server_stats | jq '[.requests[] | select(.path | test("/indicator/"))] | length')" 0
done_testing
