#!/bin/sh
# contrib/systemd: the service and timer for the nightly books job pass
# `systemd-analyze verify` (with ExecStart pointing at this build's
# binary) without a warning, are the low-priority, sandboxed oneshot the
# README promises, and their fetchpool command line is one this fetchpool
# accepts. A broken copy fails the same check.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

# The tool is part of the proof: missing, the test fails, never skips.
if ! command -v systemd-analyze >/dev/null 2>&1; then
	fail "systemd-analyze is installed (scripts/bootstrap installs systemd)"
	done_testing
fi

SRC=$TOP_SRCDIR/contrib/systemd
BINDIR=$(cd "$(dirname "$FETCHPOOL")" && pwd)
mkdir -p "$T/units"
sed "s|%BINDIR%|$BINDIR|g" "$SRC/fetchpool-books.service.in" \
	>"$T/units/fetchpool-books.service"
cp "$SRC/fetchpool-books.timer" "$T/units/"

verify() { # DIR: systemd-analyze verify's status and every line it printed
	(cd "$1" && systemd-analyze verify --man=no fetchpool-books.service \
		fetchpool-books.timer >"$T/verify.out" 2>&1)
	echo "$?$(cat "$T/verify.out")"
}
is "systemd-analyze verify: clean" "$(verify "$T/units")" 0

U=$(cat "$T/units/fetchpool-books.service")
for want in '^Type=oneshot$' '^Nice=19$' '^IOSchedulingClass=idle$' \
	'^ProtectSystem=strict$' '^ReadWritePaths=/srv/books ' \
	'^PrivateTmp=yes$' '^NoNewPrivileges=yes$' '^ProtectHome=yes$' \
	'^User=fetchpool$' '--metrics /var/lib/prometheus/node-exporter/.*\.prom' \
	'--save-failed /srv/books/' '^SuccessExitStatus=1$'; do
	like "service: $want" "$U" "$want"
done
like "timer: nightly and persistent" "$(cat "$T/units/fetchpool-books.timer")" \
	'^Persistent=true$'

# The command line, with the paths moved into $T, as a dry run.
mkdir -p "$T/srv/books" "$T/prom"
echo "1342" >"$T/srv/books/books.txt"
sed -n '/^ExecStart=/,/[^\\]$/p' "$T/units/fetchpool-books.service" |
	sed -e 's/^ExecStart=//' -e 's/\\$//' | tr '\n\t' '  ' |
	sed -e "s|/srv/books|$T/srv/books|g" \
	    -e "s|/var/lib/prometheus/node-exporter|$T/prom|g" >"$T/cmdline"
# shellcheck disable=SC2046 # split the command line into words
set -- $(cat "$T/cmdline")
is "ExecStart runs this build's fetchpool" "$1" "$BINDIR/fetchpool"
shift
run_fp --no-config --dry-run "$@"
is "its options are this fetchpool's: the dry run exits 0" "$rc" 0
[ "$rc" = 0 ] || diag "$(cat "$T/err")"

# The check can fail: a unit whose binary is missing, or with a typo.
mkdir -p "$T/bad1" "$T/bad2"
sed "s|^ExecStart=$BINDIR/|ExecStart=$T/nowhere/|" \
	"$T/units/fetchpool-books.service" >"$T/bad1/fetchpool-books.service"
sed 's/^Nice=19$/Nicee=19/' "$T/units/fetchpool-books.service" \
	>"$T/bad2/fetchpool-books.service"
cp "$SRC/fetchpool-books.timer" "$T/bad1/"
cp "$SRC/fetchpool-books.timer" "$T/bad2/"
isnt "a missing binary: refused" "$(verify "$T/bad1")" 0
isnt "an unknown key: warned" "$(verify "$T/bad2")" 0

done_testing
