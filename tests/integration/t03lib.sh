# Helpers of the t03xx gdp scripts that read the World Bank fixtures the
# way the emulation does, so the expectations come from the data files,
# never from fetchpool. Source it after tests/lib.sh.
WB="$FIXTURES/worldbank"
GDP_CSV=$(ls "$WB"/gdp/API_NY.GDP.MKTP.CD_*.csv)
POP_CSV="$WB/generated/generated-SP.POP.TOTL.csv"
LIST_CSV=$(ls "$WB"/countries/country_list_*.csv)

# The awk function that splits one CSV line (RFC 4180 quoting) into f[].
CSVSPLIT='
function csvsplit(s, f,   n, c, i, q, cur) {
	sub(/\r$/, "", s); sub(/^\357\273\277/, "", s)
	n = 0; cur = ""; q = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(s, i + 1, 1) == "\"") { cur = cur c; i++ }
				else q = 0
			} else cur = cur c
		} else if (c == "\"") q = 1
		else if (c == ",") { f[++n] = cur; cur = "" }
		else cur = cur c
	}
	f[++n] = cur
	return n
}'

# list_select REGION INCOME LENDING: codes of the country list entries
# whose region, income and lending names match (empty: any), sorted.
list_select() {
	awk -v r="$1" -v i="$2" -v l="$3" "$CSVSPLIT"'
		NR > 1 { csvsplit($0, f)
			if ((r == "" || f[4] == r) && (i == "" || f[8] == i) &&
			    (l == "" || f[9] == l)) print f[1] }' "$LIST_CSV" | sort
}

# list_aggregates: codes of the aggregates of the list, sorted.
list_aggregates() {
	list_select Aggregates "" ""
}

# with_data CSV: codes with at least one value in a wide CSV, sorted.
with_data() {
	awk "$CSVSPLIT"'
		{ n = csvsplit($0, f) }
		f[1] == "Country Name" { hdr = 1; next }
		hdr { for (k = 5; k <= n; k++) if (f[k] != "") { print f[2]; break } }' "$1" | sort
}

# cell CSV CODE YEAR: the cell as written ("" when empty).
cell() {
	awk -v code="$2" -v year="$3" "$CSVSPLIT"'
		{ n = csvsplit($0, f) }
		f[1] == "Country Name" { for (k = 5; k <= n; k++) if (f[k] == year) col = k; next }
		col && f[2] == code { print f[col]; exit }' "$1"
}

# latest CSV CODE [N]: the N (1) most recent non-empty cells, newest
# first, one "YEAR VALUE" per line.
latest() {
	awk -v code="$2" -v want="${3:-1}" "$CSVSPLIT"'
		{ n = csvsplit($0, f) }
		f[1] == "Country Name" { for (k = 5; k <= n; k++) y[k] = f[k]; next }
		f[2] == code { for (k = n; k >= 5 && want > 0; k--)
			if (f[k] != "") { print y[k], f[k]; want-- }; exit }' "$1"
}

# intersect A B: lines in both (sorted) word lists.
intersect() {
	printf '%s\n' "$1" >"$T/isect.a"
	printf '%s\n' "$2" >"$T/isect.b"
	comm -12 "$T/isect.a" "$T/isect.b"
}
