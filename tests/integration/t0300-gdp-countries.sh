#!/bin/sh
# gdp with country codes: values exact against the fixture data, one
# failure isolated, the concurrency bound proven at the server, xml = json.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq awk

WB="$FIXTURES/worldbank"
CSV=$(ls "$WB"/gdp/API_NY.GDP.MKTP.CD_*.csv)
server_start --worldbank "$WB"
API="$SERVER_URL/v2"

# The fixture's cell for CODE and YEAR (columns: name, code, indicator,
# indicator code, 1960, 1961, ...).
cell() {
	awk -F'","' -v code="$1" -v col=$(($2 - 1960 + 5)) \
		'{ sub(/\r$/, "") } $2 == code { gsub(/[",]/, "", $col); print $col }' "$CSV"
}

run_fp gdp --api-url "$API" --max-conc 2 --year 2019 ABW AFG ARG AUS AUT
is "exit 0" "$rc" 0
like "AUS line" "$(cat "$T/out")" '^country: AUS GDP: 1392\.7B$'
like "AFG line" "$(cat "$T/out")" '^country: AFG GDP: 18\.8B$'
is "five lines" "$(grep -c '^country: ' "$T/out")" 5
like "summary" "$(cat "$T/out")" '^summary: 5 economies with data \(5 countries, 0 aggregates\), 0 without data$'

run_fp gdp --api-url "$API" --year 2019 --output csv abw afg arg aus aut
is "csv exit 0" "$rc" 0
is "csv header" "$(head -1 "$T/out")" "code,name,year,value,aggregate"
for c in ABW AFG ARG AUS AUT; do
	want=$(cell $c 2019)
	got=$(awk -F, -v c=$c '$1 == c { print $(NF - 1) }' "$T/out")
	is "$c 2019 value exact" "$got" "$want"
done
cp "$T/out" "$T/json.csv"

run_fp gdp --api-url "$API" --year 2019 --format xml --output csv ABW AFG ARG AUS AUT
is "xml exit 0" "$rc" 0
is "xml gives the same records as json" "$(sort "$T/out")" "$(sort "$T/json.csv")"

run_fp gdp --api-url "$API" --year 2019 --output json --sort code AUT ABW AUS
is "json exit 0" "$rc" 0
is "json sorted by code" "$(jq -r '[.records[].code] | join(" ")' "$T/out")" "ABW AUS AUT"
is "json value" "$(jq -r '.records[1].value' "$T/out")" "$(cell AUS 2019)"
is "json summary countries" "$(jq .summary.countries "$T/out")" 3

# An unknown code among good ones: reported by code, the others print.
run_fp gdp --api-url "$API" --year 2019 ABW ZZZ AUS
is "unknown code: exit 1" "$rc" 1
like "error names the country" "$(cat "$T/err")" 'ZZZ: API error 120'
like "ABW still printed" "$(cat "$T/out")" '^country: ABW GDP: '
like "AUS still printed" "$(cat "$T/out")" '^country: AUS GDP: 1392\.7B$'

# Aggregates are printed but kept out of the country statistics.
run_fp gdp --api-url "$API" --year 2019 --output json USA WLD
is "aggregate exit 0" "$rc" 0
is "WLD is an aggregate" "$(jq '.records[] | select(.code == "WLD") | .aggregate' "$T/out")" true
is "total over countries only" "$(jq .summary.total "$T/out")" "$(jq '.records[] | select(.code == "USA") | .value' "$T/out")"

# The semaphore bound, seen by the server: 8 countries + the country list.
set -- ABW AFG ARG AUS AUT BEL BRA CAN
server_stop
server_start --worldbank "$WB" --latency 400
API="$SERVER2_URL/v2"
t0=$(date +%s%N)
run_fp gdp --api-url "$API" --max-conc 2 --year 2019 "$@"
t2=$(( ($(date +%s%N) - t0) / 1000000 ))
is "-j 2: exit 0" "$rc" 0
is "-j 2: peak in flight is 2" "$(server_stats "$SERVER2_URL" | jq .peak_in_flight)" 2
server_reset "$SERVER2_URL"
t0=$(date +%s%N)
run_fp gdp --api-url "$API" --max-conc 8 --year 2019 "$@"
t8=$(( ($(date +%s%N) - t0) / 1000000 ))
is "-j 8: exit 0" "$rc" 0
is "-j 8: peak in flight is 8" "$(server_stats "$SERVER2_URL" | jq .peak_in_flight)" 8
# The speed-up is the peak in flight the server saw (2, then 8); a ratio
# of wall times is not checked: a loaded machine makes it unreliable.
diag "wall time: -j 2 ${t2} ms, -j 8 ${t8} ms"
is "-j 8: all nine requests made" \
	"$(server_stats "$SERVER2_URL" | jq '.requests | length')" 9
done_testing
