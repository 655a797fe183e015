#!/bin/sh
# Bash completion (completion/fetchpool.bash): options read from --help,
# the values of --format, --sort and --output, directories for DIR, files
# for FILE, the command words, and nothing where nothing fits.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd bash

mkdir -p "$T/w/dir1" "$T/w/dir2"
: >"$T/w/books.txt"
: >"$T/w/list.txt"
: >"$T/w/my list.txt"

# comp WORD... : what completing the last WORD offers, sorted, one a line.
cat >"$T/comp.bash" <<'BASH'
set -u
PATH=$(dirname "$FETCHPOOL"):$PATH
. "$TOP_SRCDIR/completion/fetchpool.bash"
cd "$T/w"
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_fetchpool fetchpool "${COMP_WORDS[COMP_CWORD]}" \
		"${COMP_WORDS[COMP_CWORD - 1]}"
	((${#COMPREPLY[@]})) || return 0
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
case $1 in
registered) complete -p fetchpool ;;
compgen) compgen -W "$(comp fetchpool --)" -- --ma | tr '\n' ' ' ;;
*) comp "$@" ;;
esac
BASH
c() {
	bash "$T/comp.bash" "$@" 2>"$T/comp.err"
}

is "registered for fetchpool" "$(c registered)" "complete -F _fetchpool fetchpool"
is "--ma" "$(c fetchpool --ma)" "--max-conc --max-per-host --max-size "
is "compgen over the options: --ma" "$(c compgen)" \
	"--max-conc --max-per-host --max-size "
is "--hel: --help only, --help-man stays hidden" "$(c fetchpool --hel)" "--help "
is "-- offers exactly the options of --help" \
	"$(c fetchpool -- | tr ' ' '\n' | grep . | sort)" \
	"$("$FETCHPOOL" --help | grep -oE -- '^ +(-[a-zA-Z], )?--[a-z-]+' |
		grep -oE -- '--[a-z-]+' | sort)"
is "--format values" "$(c fetchpool gdp --format '')" "json xml "
is "--sort values" "$(c fetchpool gdp --sort '')" "code completion value "
is "--output values" "$(c fetchpool gdp --output '')" "csv json lines "
is "--output=c (split at =)" "$(c fetchpool gdp --output = c)" "csv "
is "--output= (split at =)" "$(c fetchpool gdp --output =)" "csv json lines "
is "-o: directories only" "$(c fetchpool -o '')" "dir1 dir2 "
is "--output-dir d" "$(c fetchpool --output-dir d)" "dir1 dir2 "
is "--report: files" "$(c fetchpool --report b)" "books.txt "
is "-j: no guess for a number" "$(c fetchpool -j '')" ""
is "first word: commands and files" "$(c fetchpool '')" \
	"books books.txt catalog dir1 dir2 gdp list.txt my list.txt "
is "first word after options and their values" \
	"$(c fetchpool -j 4 -o dir1 g)" "gdp "
is "books FILE" "$(c fetchpool books l)" "list.txt "
is "a file name with a space stays whole" "$(c fetchpool books m)" "my list.txt "
is "books FILE after -o DIR" "$(c fetchpool books -o dir1 l)" "list.txt "
is "nothing after books FILE" "$(c fetchpool books list.txt '')" ""
is "nothing after FILE" "$(c fetchpool list.txt '')" ""
is "gdp: no guess for country codes" "$(c fetchpool gdp '')" ""
is "options after the command" "$(c fetchpool gdp --ye)" "--year "
is "bash printed no errors" "$(cat "$T/comp.err")" ""

done_testing
