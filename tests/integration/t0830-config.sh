#!/bin/sh
# The config file: found through --config, $FETCHPOOL_CONFIG,
# $XDG_CONFIG_HOME or $HOME; a [books] or [gdp] section applies to that
# command only; the environment and then the command line win;
# --no-config ignores it; an unknown name, a bad value or a bad section is
# "FILE:LINE: reason" and exit 2. --dry-run shows what took effect.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

unset FETCHPOOL_CONFIG XDG_CONFIG_HOME FETCHPOOL_GUTENBERG_URL \
	FETCHPOOL_WORLDBANK_URL
HOME=$T/home
export HOME
mkdir -p "$HOME"
echo "1342 Pride and Prejudice" >"$T/list"

# plan ARGS...: the dry run's "URL -> DIR/NAME" line
plan() {
	run_fp --dry-run "$@" "$T/list"
	cat "$T/out"
}

is "no config anywhere: the defaults" "$(plan)" \
	"https://www.gutenberg.org/cache/epub/1342/pg1342.txt -> downloads/pg1342.txt"

cat >"$T/c1" <<'EOF2'
# a comment, then options for every command
  # an indented comment
output-dir = from-config
mirror=http://cfg-mirror

[gdp]
output-dir = gdp-only
[books]
quiet = false
EOF2
is "--config: its values" "$(plan --config "$T/c1")" \
	"http://cfg-mirror/cache/epub/1342/pg1342.txt -> from-config/pg1342.txt"
is "the command line wins" "$(plan --config "$T/c1" -o cli --mirror http://cli)" \
	"http://cli/cache/epub/1342/pg1342.txt -> cli/pg1342.txt"
is "the environment wins over the file" \
	"$(FETCHPOOL_GUTENBERG_URL=http://env plan --config "$T/c1")" \
	"http://env/cache/epub/1342/pg1342.txt -> from-config/pg1342.txt"
is "--no-config ignores it" "$(plan --config "$T/c1" --no-config)" \
	"https://www.gutenberg.org/cache/epub/1342/pg1342.txt -> downloads/pg1342.txt"

printf '[books]\noutput-dir = books-dir\n[gdp]\napi-url = http://gdp-cfg/v2\n' \
	>"$T/c2"
is "[books] applies to books" "$(plan --config "$T/c2")" \
	"https://www.gutenberg.org/cache/epub/1342/pg1342.txt -> books-dir/pg1342.txt"
run_fp --config "$T/c2" --dry-run gdp USA
like "[gdp] applies to gdp" "$(cat "$T/out")" '^http://gdp-cfg/v2/'

# Where it is found: $FETCHPOOL_CONFIG, $XDG_CONFIG_HOME, $HOME/.config.
mkdir -p "$HOME/.config/fetchpool" "$T/xdg/fetchpool"
echo "output-dir = home-dir" >"$HOME/.config/fetchpool/config"
echo "output-dir = xdg-dir" >"$T/xdg/fetchpool/config"
echo "output-dir = env-dir" >"$T/env-config"
like "\$HOME/.config/fetchpool/config" "$(plan)" ' -> home-dir/'
like "\$XDG_CONFIG_HOME/fetchpool/config first" \
	"$(XDG_CONFIG_HOME=$T/xdg plan)" ' -> xdg-dir/'
like "\$FETCHPOOL_CONFIG first" \
	"$(FETCHPOOL_CONFIG=$T/env-config XDG_CONFIG_HOME=$T/xdg plan)" \
	' -> env-dir/'
like "--config first of all" \
	"$(FETCHPOOL_CONFIG=$T/env-config plan --config "$T/c2")" ' -> books-dir/'
rm "$HOME/.config/fetchpool/config"

# Flags: true sets, false leaves the default; the command line's -v
# overrides the file's quiet instead of clashing with it.
printf 'quiet = true\n' >"$T/c3"
run_fp --config "$T/c3" --dry-run "$T/list"
is "quiet = true: nothing on stdout" "$(cat "$T/out")" ""
run_fp --config "$T/c3" -v --dry-run "$T/list"
is "-v over the file's quiet: exit 0" "$rc" 0
like "-v over the file's quiet: the plan printed" "$(cat "$T/out")" ' -> '

# Errors: FILE:LINE: reason, exit 2, nothing run.
err_case() { # DESC CONFIG-TEXT REGEX [ARGS...]
	local desc="$1" text="$2" re="$3"
	shift 3
	printf '%b' "$text" >"$T/bad"
	run_fp --config "$T/bad" --dry-run "$@" "$T/list"
	is "$desc: exit 2" "$rc" 2
	like "$desc: message" "$(cat "$T/err")" "$re"
	is "$desc: nothing planned" "$(cat "$T/out")" ""
}
B=$(printf '%s' "$T/bad" | sed 's/[.]/\\./g')
err_case "unknown name" '# x\n\nmax-conc = 2\nno-such-option = 1\n' \
	"^$B:4: unknown option 'no-such-option'"
err_case "bad value" 'max-conc = 0\n' \
	"^$B:1: -j/--max-conc: expected 1\.\.1024, got '0'\$"
err_case "bad flag value" 'fail-fast = yes\n' \
	"^$B:1: --fail-fast: expected true or false, got 'yes'\$"
err_case "no '='" 'max-conc 4\n' "^$B:1: expected 'name = value'\$"
err_case "unknown section" '[nope]\n' "^$B:1: unknown section '\[nope\]'"
err_case "an option of another command in a section" '[books]\nyear = 2019\n' \
	"^$B:2: --year: not an option of books\$"
err_case "a bad line in another command's section" '[gdp]\nyaer = 2019\n' \
	"^$B:2: unknown option 'yaer'"
err_case "--config in a config file" 'config = /etc/x\n' \
	"^$B:1: --config cannot be set in a config file\$"
printf 'year = 2019\n' >"$T/c4"
run_fp --config "$T/c4" --dry-run "$T/list"
is "a gdp option outside a section: books skips it" "$rc" 0
run_fp --config "$T/no-such-file" --dry-run "$T/list"
is "--config FILE missing: exit 2" "$rc" 2
like "--config FILE missing: named" "$(cat "$T/err")" \
	"^fetchpool: cannot read config '$T/no-such-file': No such file"
FETCHPOOL_CONFIG=$T/no-such-file run_fp --dry-run "$T/list"
is "\$FETCHPOOL_CONFIG missing: exit 2" "$rc" 2
run_fp --config "$T/no-such-file" --help
is "--help works whatever the config" "$rc" 0

# Where it is read from: --help and the man page say.
run_fp --help
like "--help names the config file" "$(cat "$T/out")" 'XDG_CONFIG_HOME/fetchpool/config'
like "the man page names it" "$("$FETCHPOOL" --help-man)" 'XDG_CONFIG_HOME/fetchpool/config'

done_testing
