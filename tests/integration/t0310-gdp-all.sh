#!/bin/sh
# gdp without countries: every page requested once (pages 2..N
# concurrently), the country list alongside, and the summary total equal to
# the sum over countries of each one's most recent value in the data.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq awk

WB="$FIXTURES/worldbank"
CSV=$(ls "$WB"/gdp/API_NY.GDP.MKTP.CD_*.csv)
LIST=$(ls "$WB"/countries/*.csv)
server_start --worldbank "$WB" --latency 100

run_fp gdp --api-url "$SERVER_URL/v2" -j 4 --per-page 50 --output json
is "exit 0" "$rc" 0
s=$(server_stats)
pages=$(echo "$s" | jq '[.requests[] | select(.path | test("/country/all/indicator/"))] | length')
distinct=$(echo "$s" | jq '[.requests[] | select(.path | test("/country/all/indicator/")) | .query | capture("(^|&)page=(?<p>[0-9]+)").p] | unique | length')
is "six pages of 50" "$pages" 6
is "each page once" "$distinct" 6
like "country list fetched" "$(echo "$s" | jq -r '.requests[].path')" '^/v2/country$'
ok "pages fetched concurrently" test "$(echo "$s" | jq .peak_in_flight)" -ge 3

# Expected: each country's last non-empty year, aggregates excluded.
want=$(awk -F'","' '
	NR == FNR {
		if (FNR > 1) {
			line = $0; gsub(/"[^"]*"/, "Q", line); split(line, f, ",")
			agg[f[1]] = (f[4] == "Aggregates")
		}
		next
	}
	FNR > 5 {
		sub(/\r$/, "")
		code = $2; v = ""
		for (i = NF; i >= 5; i--) { x = $i; gsub(/[",]/, "", x); if (x != "") { v = x; break } }
		if (v != "" && (code in agg) && !agg[code]) { sum += v; n++ }
	}
	END { printf "%d %.17g\n", n, sum }' "$LIST" "$CSV")
got=$(jq -r '"\(.summary.countries) \(.summary.total)"' "$T/out")
is "country count" "${got% *}" "${want% *}"
ok "total equals the sum over countries (${got#* } vs ${want#* })" \
	awk -v a="${got#* }" -v b="${want#* }" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b * 1e-9) }'
is "records = countries + aggregates" "$(jq '.records | length' "$T/out")" \
	"$(jq '.summary.countries + .summary.aggregates' "$T/out")"

run_fp gdp --api-url "$SERVER_URL/v2" -j 4 --per-page 50 --format xml --output csv
cp "$T/out" "$T/xml.csv"
run_fp gdp --api-url "$SERVER_URL/v2" -j 4 --per-page 50 --output csv
is "xml and json agree on every economy" "$(sort "$T/xml.csv")" "$(sort "$T/out")"
done_testing
