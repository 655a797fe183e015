#!/bin/sh
# --netrc and --netrc-file: libcurl sends the login of the matching
# machine, and neither the password nor the Authorization it makes is
# ever printed (stdout, stderr, -v, report, state file); a netrc file
# that group or others may read or write is refused with exit 2, naming
# it, before any request; without --netrc no credentials are sent.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"
require_cmd base64

mkdir "$T/www" "$T/home"
printf 'alpha\n' >"$T/www/a.txt"
server_start --root "$T/www"
printf '%s\n' "$SERVER_URL/a.txt" >"$T/list"
basic="Basic $(printf 'alice:NETRC-SECRET-1' | base64)"

auth() {
	server_stats | jq -r '[.requests[] | select(.path == "/a.txt")][0].headers.authorization'
}
no_secret() {
	local f hits=
	for f in "$T/out" "$T/err" "$T/report.json" "$T"/dl*/.fetchpool.state; do
		[ -f "$f" ] && grep -qF -- "$2" "$f" && hits="$hits $f"
	done
	is "$1" "${hits:-none}" none
}

printf 'machine 127.0.0.1\nlogin alice\npassword NETRC-SECRET-1\n' >"$T/netrc"
printf 'machine 127.0.0.1 login bob password HOME-SECRET-2\n' >"$T/home/.netrc"
chmod 600 "$T/netrc" "$T/home/.netrc"

# ---- --netrc-file ----------------------------------------------------------
run_fp -v -o "$T/dl1" --report "$T/report.json" --netrc-file "$T/netrc" \
	books "$T/list"
is "--netrc-file: exit 0" "$rc" 0
is "  the server got alice's credentials" "$(auth)" "$basic"
like "  -v names the file" "$(cat "$T/err")" "credentials from '$T/netrc'"
no_secret "  the password never printed or stored" NETRC-SECRET-1
no_secret "  nor the Authorization value" "${basic#Basic }"

# ---- --netrc reads ~/.netrc ---------------------------------------------------
server_reset
HOME=$T/home run_fp -o "$T/dl2" --netrc books "$T/list"
is "--netrc: exit 0" "$rc" 0
is "  ~/.netrc's login sent" "$(auth)" \
	"Basic $(printf 'bob:HOME-SECRET-2' | base64)"
no_secret "  its password never printed" HOME-SECRET-2

# ---- no --netrc, no credentials ------------------------------------------------
server_reset
HOME=$T/home run_fp -o "$T/dl3" books "$T/list"
is "no --netrc: exit 0" "$rc" 0
is "  no Authorization sent" "$(auth)" null

# ---- a netrc others may read or write is refused, before any request -----------
server_reset
for mode in 640 604 620 602; do
	chmod "$mode" "$T/netrc"
	run_fp -o "$T/dl4" --netrc-file "$T/netrc" books "$T/list"
	is "--netrc-file mode $mode: exit 2" "$rc" 2
	like "  one line naming the file" "$(cat "$T/err")" \
		"^fetchpool: --netrc-file: '$T/netrc' is readable or writable by group or others"
done
chmod 644 "$T/home/.netrc"
HOME=$T/home run_fp -o "$T/dl5" --netrc books "$T/list"
is "--netrc, ~/.netrc mode 644: exit 2" "$rc" 2
like "  naming it" "$(cat "$T/err")" "^fetchpool: --netrc: '$T/home/.netrc' is readable"
no_secret "  no password in the refusal" NETRC-SECRET-1
is "nothing was fetched" "$(server_stats | jq '.total_requests')" 0
ok "  no output directory made" test ! -e "$T/dl4" -a ! -e "$T/dl5"

# ---- a missing --netrc-file is a usage error; a missing ~/.netrc is not -------
run_fp -o "$T/dl6" --netrc-file "$T/nonesuch" books "$T/list"
is "missing --netrc-file: exit 2" "$rc" 2
like "  naming it" "$(cat "$T/err")" "nonesuch"
HOME=$T/www run_fp -o "$T/dl7" --netrc books "$T/list"
is "--netrc without ~/.netrc: exit 0, as curl" "$rc" 0
done_testing
