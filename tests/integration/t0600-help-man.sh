#!/bin/sh
# --help and the man page list the same options (both are made from the
# option table), the man page renders without warnings and documents the
# list file, exit codes, environment, files and a cron example. Checked
# against sources independent of the generator: the options the product
# contract requires (a fixed list here), the rows of the option table in
# cmd/options.c counted with sed, and the page as groff renders it.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

MAN=$(dirname "$FETCHPOOL")/../doc/fetchpool.1
ok "the build made doc/fetchpool.1" test -s "$MAN"

run_fp --help
is "--help: exit 0" "$rc" 0
# Option heads, "-j, --max-conc N": the left column of --help (it ends at
# two spaces), the line after each .TP in the man page (fonts and \- undone).
sed -E -n 's/^ +(-[A-Za-z], |--)/\1/p' "$T/out" | sed -E 's/  .*//' |
	sort >"$T/help.opts"
sed -n '/^\.SH OPTIONS/,/^\.SH /{/^\.TP/{n;p;}}' "$MAN" |
	sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' | sort >"$T/man.opts"
ok "--help lists options" test "$(wc -l <"$T/help.opts")" -ge 30
is "man page and --help list the same options, with the same values" \
	"$(diff "$T/help.opts" "$T/man.opts")" ""
like "--help shows -j, --max-conc N" "$(cat "$T/help.opts")" '^-j, --max-conc N$'
like "--help shows the choices of --sort" "$(cat "$T/help.opts")" \
	'^--sort completion\|code\|value$'
unlike "--help-man is hidden from --help" "$(cat "$T/out")" 'help-man'
unlike "--help-man is hidden from the man page" "$(cat "$MAN")" 'help\\-man'

# Every option has a sentence under its head.
is "every man page option is described" \
	"$(sed -n '/^\.SH OPTIONS/,/^\.SH /{/^\.TP/{n;n;p;}}' "$MAN" |
		grep -c '^[A-Z]')" "$(wc -l <"$T/man.opts" | tr -d ' ')"

run_fp --version
version=$(sed -n 's/^fetchpool //p' "$T/out")
like "man page names version $version" "$(sed -n '/^\.TH/p' "$MAN")" \
	"\"fetchpool $version\""

# The option count, derived apart from --help: rows of the option table
# ('{ .name = "..."' inside opt_defs[]), less hidden ones (rows without
# '.help = ').
table=$(awk '/^static const struct opt_def opt_defs\[\]/,/^};/' \
	"$TOP_SRCDIR/cmd/options.c")
rows=$(printf '%s\n' "$table" | grep -c '^[[:space:]]*{ \.name = "')
hidden=$((rows - $(printf '%s\n' "$table" | grep -c '\.help = ')))
ok "the option table has rows ($rows, $hidden hidden)" test "$rows" -ge 30 -a "$hidden" -ge 1
is "--help lists every visible option of the table" \
	"$(wc -l <"$T/help.opts" | tr -d ' ')" $((rows - hidden))
is "the man page lists as many" \
	"$(wc -l <"$T/man.opts" | tr -d ' ')" $((rows - hidden))

# The options the product contract requires, each in --help and the page.
for o in max-conc output-dir timeout connect-timeout stall-timeout retries \
	deadline fail-fast delay report quiet verbose progress no-progress \
	mirror api-url user-agent insecure cacert max-size fsync dry-run shard \
	year date indicator format per-page sort output help version; do
	like "--help has --$o" "$(cat "$T/help.opts")" "(^|, )--$o( |\$)"
	like "the man page has --$o" "$(cat "$T/man.opts")" "(^|, )--$o( |\$)"
done

for section in NAME SYNOPSIS DESCRIPTION OPTIONS "THE LIST FILE" \
	"EXIT STATUS" ENVIRONMENT FILES PROGRESS SHARDING EXAMPLES "SEE ALSO"; do
	like "section $section" "$(grep '^\.SH' "$MAN")" "^\.SH $section\$"
done
page=$(cat "$MAN")
for word in '\.part' '\.fetchpool\.lock' '\.fetchpool\.state' \
	FETCHPOOL_GUTENBERG_URL FETCHPOOL_WORLDBANK_URL NO_COLOR \
	JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID 'priority=' 'sha256=' 'out=' \
	'title=' 'parallel '; do
	like "the page mentions $word" "$page" "$word"
done
like "exit status 3 documented" "$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN")" '^\.B 3$'
like "exit status 130 documented" "$page" '^\.BR 130 '
like "a crontab line with -q" "$page" '^[0-9]+ [0-9]+ \* \* \* .*fetchpool \\-q '

if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$MAN" >"$T/groff.out" 2>&1
	is "groff renders the page without warnings" "$(cat "$T/groff.out")" ""
	groff -man -Tascii -P-cbou "$MAN" >"$T/page.txt" 2>/dev/null
	like "rendered: --max-conc under OPTIONS" "$(cat "$T/page.txt")" \
		'^ +-j, --max-conc N$'
	like "rendered: version in the footer" "$(cat "$T/page.txt")" \
		"fetchpool $version"
	# Every option head of --help starts a line of the rendered page
	# (followed by its text when the head is short).
	missing=
	while IFS= read -r h; do
		awk -v h="       $h" 'index($0, h) == 1 &&
			substr($0, length(h) + 1, 1) ~ /^( |)$/ { f = 1 }
			END { exit !f }' "$T/page.txt" || missing="$missing[$h]"
	done <"$T/help.opts"
	is "rendered: every --help option head is in the page" "$missing" ""
else
	skip "groff renders the page without warnings" "groff not installed"
	skip "rendered: --max-conc under OPTIONS" "groff not installed"
	skip "rendered: version in the footer" "groff not installed"
fi

done_testing
