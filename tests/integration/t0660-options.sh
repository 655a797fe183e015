#!/bin/sh
# Options are rows of one table: each value type has one error message
# naming the option and what it accepts; an option the command does not
# take is refused, naming both; --cacert must name a readable file before
# anything is fetched; the defaults --help shows are the ones in effect and
# the man page shows the same; --help fits 79 columns; the completion's
# listing has the options and choices of --help.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

server_start --gutenberg "$FIXTURES/gutenberg" --worldbank "$FIXTURES/worldbank"
M=$SERVER_URL
printf '1342\n' >"$T/list"
unset FETCHPOOL_GUTENBERG_URL FETCHPOOL_WORLDBANK_URL

# usage DESC EXPECTED-LINE ARGS...: exit 2, exactly that one line on
# stderr, nothing on stdout.
usage() {
	desc=$1 want=$2
	shift 2
	run_fp --mirror "$M" --api-url "$M/v2" -o "$T/dl" "$@"
	is "$desc: exit 2" "$rc" 2
	is "$desc: the message" "$(cat "$T/err")" "$want"
	is "$desc: nothing on stdout" "$(cat "$T/out")" ""
}

# ---- one message per value type ------------------------------------------
usage "unsigned" "fetchpool: -j/--max-conc: expected 1..1024, got '0'" \
	-j 0 "$T/list"
usage "unsigned, long form with =" \
	"fetchpool: -j/--max-conc: expected 1..1024, got '12x'" \
	--max-conc=12x "$T/list"
usage "int" "fetchpool: --year: expected 1900..2100, got '1899'" \
	gdp --year 1899
secs="seconds > 0 and at most 86400"
usage "seconds" "fetchpool: --timeout: expected $secs, got '0'" \
	--timeout 0 "$T/list"
usage "seconds, 0 allowed" \
	"fetchpool: --delay: expected seconds >= 0 and at most 86400,\
 got '-1'" \
	--delay -1 "$T/list"
size="a size 1..1048576G (suffix K, M or G)"
usage "size" "fetchpool: --max-size: expected $size, got '5X'" \
	--max-size 5X "$T/list"
usage "string" "fetchpool: --report: expected a non-empty value, got ''" \
	--report '' "$T/list"
usage "enum" "fetchpool: --format: expected json|xml, got 'yaml'" \
	gdp --format yaml
kn="K/N with 0 <= K < N <= 65536 (K may be an environment variable"
kn="$kn such as JOB_COMPLETION_INDEX)"
usage "K/N" "fetchpool: --shard: expected $kn, got '2/1'" \
	--shard 2/1 "$T/list"
years="Y1:Y2 with 1900 <= Y1 <= Y2 <= 2100"
usage "Y1:Y2" "fetchpool: --date: expected $years, got '2001:2000x'" \
	gdp --date 2001:2000x
usage "no value" "fetchpool: -j/--max-conc: expected 1..1024, got nothing" \
	"$T/list" -j
usage "a value for a flag" "fetchpool: --fail-fast takes no value" \
	--fail-fast=yes "$T/list"

# ---- unknown options, exclusive ones ----------------------------------------
usage "unknown long option" \
	"fetchpool: unknown option '--frobnicate' (see fetchpool --help)" \
	--frobnicate "$T/list"
usage "unknown short option" \
	"fetchpool: unknown option '-Z' (see fetchpool --help)" -Z "$T/list"
usage "--year with --date" "fetchpool: --year and --date exclude each other" \
	gdp --date 2000:2001 --year 2000
usage "-q with -v" "fetchpool: -q/--quiet and -v/--verbose exclude each other" \
	-v -q "$T/list"

# ---- options the command does not take -----------------------------------
usage "books option given to gdp" \
	"fetchpool: --fsync: not an option of gdp, only of books" \
	--fsync gdp AFG
usage "books option after gdp" \
	"fetchpool: --report: not an option of gdp, only of books" \
	gdp AFG --report "$T/r.json"
usage "gdp option given to books" \
	"fetchpool: --per-page: not an option of books, only of gdp" \
	--per-page 10 books "$T/list"
usage "gdp option given with FILE alone" \
	"fetchpool: --output: not an option of books, only of gdp" \
	"$T/list" --output csv
usage "books takes one FILE" \
	"fetchpool: books takes exactly one FILE ('-' for standard input)" \
	books "$T/list" "$T/list"

# ---- --cacert is checked at start-up ----------------------------------------
usage "--cacert missing" \
	"fetchpool: --cacert: cannot read '$T/no-ca.pem': No such file or\
 directory" \
	--cacert "$T/no-ca.pem" "$T/list"
mkdir "$T/cadir"
usage "--cacert a directory" \
	"fetchpool: --cacert: cannot read '$T/cadir': Is a directory" \
	gdp --cacert "$T/cadir" AFG
is "nothing was fetched by any usage error" \
	"$(server_stats | jq '.requests | length')" 0
ok "no output dir made by usage errors" test ! -e "$T/dl"
: >"$T/ca.pem"
run_fp --mirror "$M" -o "$T/dl" --cacert "$T/ca.pem" --dry-run "$T/list"
is "--cacert a readable file: accepted" "$rc" 0

# ---- options before or after the command ----------------------------------
run_fp --api-url "$M/v2" -j 2 --per-page 7 --dry-run gdp AFG
cp "$T/out" "$T/before"
run_fp gdp AFG --dry-run --per-page 7 -j 2 --api-url "$M/v2"
is "gdp: options after the command as before it" "$(cat "$T/out")" \
	"$(cat "$T/before")"
like "gdp: the value given is used" "$(cat "$T/out")" 'per_page=7'

# ---- the defaults --help shows are those in effect -------------------------
run_fp --help
is "--help: exit 0" "$rc" 0
cp "$T/out" "$T/help"
is "--help fits 79 columns" \
	"$(awk 'length($0) > 79' "$T/help")" ""
# One line per option: continuation lines joined to their head.
awk '/^ +-/ { if (e != "") print e; e = $0; next }
	/^      +[^ -]/ && e != "" { sub(/^ +/, " "); e = e $0; next }
	{ if (e != "") print e; e = "" }
	END { if (e != "") print e }' "$T/help" >"$T/entries"
default() { # OPTION: the default --help shows for it
	# "-j, --max-conc N ... (default 4)": 4
	sed -n "s/^ *\(-[a-zA-Z], \)\{0,1\}--$1 .*(default \([^,)]*\).*/\2/p" \
		"$T/entries"
}
for opt in max-conc output-dir timeout connect-timeout stall-timeout \
	retries delay mirror api-url user-agent indicator format per-page \
	sort output; do
	isnt "--help shows the default of --$opt" "$(default "$opt")" ""
done
for opt in deadline report cacert max-size year date; do
	is "--help shows no default for --$opt" "$(default "$opt")" ""
done

mkdir "$T/cwd"
(cd "$T/cwd" && run_fp --dry-run "$T/list")
is "books: the default mirror and output dir are those --help shows" \
	"$(cat "$T/out")" \
	"$(default mirror)/cache/epub/1342/pg1342.txt ->\
 $(default output-dir)/pg1342.txt"
run_fp --dry-run gdp AFG
like "gdp: the default API, indicator, format and page size" \
	"$(sed -n 2p "$T/out")" \
	"^$(default api-url)/country/AFG/indicator/$(default indicator)\\?\
.*format=$(default format)&per_page=$(default per-page) -> AFG\$"
run_fp --mirror "$M" -o "$T/ua" -q "$T/list"
is "a real run: exit 0" "$rc" 0
is "the default User-Agent is the one --help shows" \
	"$(server_stats | jq -r '.requests[0].user_agent')" \
	"$(default user-agent)"

# The man page says the same as --help (both come from the rows).
MAN=$(dirname "$FETCHPOOL")/../doc/fetchpool.1
man_entry() { # OPTION: the man page's text under it, on one line
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' "$MAN" | awk -v o="--$1" '
		/^\.(TP|SS|SH)/ { on = 0; head = ($1 == ".TP"); next }
		head { head = 0; n = split($0, w, /[ ,]+/)
			for (i = 1; i <= n; i++) if (w[i] == o) on = 1; next }
		on { printf "%s ", $0 }'
}
for opt in max-conc output-dir timeout per-page user-agent sort; do
	case $(man_entry "$opt") in
	*"(default $(default "$opt"))"*)
		pass "the man page shows the default of --$opt" ;;
	*) fail "the man page shows the default of --$opt"
	   diag "$(man_entry "$opt")" ;;
	esac
done
like "the man page shows the range of --max-conc" "$(man_entry max-conc)" \
	'Accepted: 1\.\.1024\.'

# ---- the completion's listing ------------------------------------------------
run_fp --help-completion
is "--help-completion: exit 0" "$rc" 0
is "it lists the options of --help" \
	"$(awk '$1 == "option" { print $2 }' "$T/out" | sort)" \
	"$(grep -oE -- '^ +(-[a-zA-Z], )?--[a-z-]+' "$T/help" |
		grep -oE -- '--[a-z-]+' | sort)"
is "it lists the commands" "$(awk '$1 == "command" { print $2 }' "$T/out")" \
	"books
gdp
catalog"
for opt in format sort output; do
	is "--$opt: the listing's choices are --help's" \
		"$(awk -v o="--$opt" '$2 == o { print $4 }' "$T/out")" \
		"$(sed -n "s/^ *--$opt \([a-z|]*\).*/\1/p" "$T/help")"
done

field() { # OPTION FIELDS: fields of its --help-completion line
	awk -v o="--$1" "\$2 == o { print $2 }" "$T/out"
}
is "--year is gdp's only" "$(field year '$5')" gdp
is "--fsync is books' only" "$(field fsync '$5')" books
is "-j is every command's" "$(field max-conc '$3, $5')" \
	"-j books,gdp,catalog"


# ---- the completion offers the options of the command typed -----------------
if command -v bash >/dev/null 2>&1; then
	cat >"$T/comp.bash" <<'BASH'
PATH=$(dirname "$FETCHPOOL"):$PATH
. "$TOP_SRCDIR/completion/fetchpool.bash"
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
_fetchpool fetchpool "${COMP_WORDS[COMP_CWORD]}" \
	"${COMP_WORDS[COMP_CWORD - 1]}"
((${#COMPREPLY[@]})) || exit 0
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
BASH
	c() { bash "$T/comp.bash" "$@" 2>>"$T/comp.err"; }
	is "completion: books --re" "$(c fetchpool books --re)" \
		"--report --retries "
	is "completion: gdp --rep (--report is books')" \
		"$(c fetchpool gdp --rep)" ""
	is "completion: gdp --fs" "$(c fetchpool gdp --fs)" ""
	is "completion: FILE --ye (books implied)" \
		"$(c fetchpool list --ye)" ""
	is "completion: --ye before any command" "$(c fetchpool --ye)" \
		"--year "
	is "completion: -o DIR gdp --sor" "$(c fetchpool -o "$T" gdp --sor)" \
		"--sort "
	is "completion: bash printed no errors" "$(cat "$T/comp.err")" ""
else
	skip "completion of the command's options" "bash is not installed"
fi

done_testing
