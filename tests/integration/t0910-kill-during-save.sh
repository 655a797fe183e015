#!/bin/sh
# SIGKILL at the end of a run, where the state file is saved and the
# report written, many times over. Each iteration gives a few files a new
# version on the server, starts a run over all of them and kills it at a
# random instant around its end; then the state file parses, the report
# is old or new but valid JSON, and a run to completion finds every
# validator: each file whose current version was published before the
# kill is answered 304, never with a full body.
#
# Seeded (KILL_SEED=N to replay); KILL_ITERATIONS scales it.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"
require_cmd jq awk

seed=${KILL_SEED:-$(($(date +%s) % 100000 + $$))}
if [ "$T04_SCALE" -gt 1 ]; then
	: "${KILL_ITERATIONS:=30}"
else
	: "${KILL_ITERATIONS:=100}"
fi
N=200
CHANGED=10
diag "seed $seed ($KILL_ITERATIONS iterations); rerun with KILL_SEED=$seed"

mkdir "$T/www" "$T/dl"
base=1600000000
i=0
while [ "$i" -lt "$N" ]; do
	i=$((i + 1))
	n=$(printf 'f%03d.txt' "$i")
	printf 'file %d\n' "$i" >"$T/www/$n"
	touch -d "@$base" "$T/www/$n"
	printf '%s\n' "$n"
done >"$T/names"
server_start --root "$T/www"
awk -v u="$SERVER_URL" '{ printf "%s/%s File %s\n", u, $1, $1 }' \
	"$T/names" >"$T/list"
FP_ARGS="-j 8 -q --no-progress -o $T/dl --report $T/r.json books $T/list"

# shellcheck disable=SC2086
run_fp $FP_ARGS
is "first run: exit 0" "$rc" 0
t0=$(now_ms)
# shellcheck disable=SC2086
run_fp $FP_ARGS
d=$(($(now_ms) - t0))
is "second run: exit 0" "$rc" 0
is "second run: all up to date" "$(jq .totals.up_to_date "$T/r.json")" "$N"
diag "a run over $N files takes $d ms"

# NAME MTIME of each file, sorted: which version each side has.
versions() {
	(cd "$1" && stat -c '%n %Y' f*.txt 2>/dev/null) | sort
}

bad_parse=0 bad_report=0 lost=0 notdone=0 in_save=0 in_report=0 k=0
while [ "$k" -lt "$KILL_ITERATIONS" ]; do
	k=$((k + 1))
	# New versions of a few files on the server; kill at 40%..130% of a
	# run's length, where the save and the report are.
	awk -v s="$seed" -v k="$k" -v n="$N" -v c="$CHANGED" -v d="$d" '
		BEGIN { srand(s * 7919 + k)
			for (i = 0; i < c; i++)
				printf "f%03d.txt\n", 1 + int(rand() * n) >"/dev/stdout"
			printf "%.3f\n", d * (0.4 + rand() * 0.9) / 1000 >"/dev/stderr"
		}' >"$T/changed" 2>"$T/delay"
	while read -r n; do
		touch -d "@$((base + k))" "$T/www/$n"
	done <"$T/changed"
	# shellcheck disable=SC2086 # FP_WRAPPER and FP_ARGS are word lists
	${FP_WRAPPER-} "$FETCHPOOL" $FP_ARGS >"$T/out" 2>"$T/err" &
	pid=$!
	sleep "$(cat "$T/delay")"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -e "$T/dl/.fetchpool.state.tmp" ] && in_save=$((in_save + 1))
	[ -e "$T/r.json.tmp" ] && in_report=$((in_report + 1))

	awk -F '\t' '/^#/ { next }
		NF != 4 || $2 !~ /^[0-9]*$/ || $1 == "" { bad++ }
		END { exit bad > 0 }' "$T/dl/.fetchpool.state" ||
		{ bad_parse=$((bad_parse + 1)); diag "iteration $k: state"; }
	jq -e .totals "$T/r.json" >/dev/null 2>&1 ||
		{ bad_report=$((bad_report + 1)); diag "iteration $k: report"; }

	# Files whose current version is on disk must not be fetched again.
	versions "$T/www" >"$T/v.www"
	versions "$T/dl" >"$T/v.dl"
	comm -12 "$T/v.www" "$T/v.dl" | cut -d' ' -f1 >"$T/current"
	server_reset
	# shellcheck disable=SC2086
	run_fp $FP_ARGS
	if [ "$rc" -ne 0 ] ||
		[ "$(jq '.totals.ok + .totals.up_to_date' "$T/r.json")" != "$N" ]; then
		notdone=$((notdone + 1))
		diag "iteration $k: the run after the kill: exit $rc"
	fi
	server_stats | jq -r '.requests[] | select(.status == 200) |
		.path | ltrimstr("/")' | sort >"$T/full"
	x=$(comm -12 "$T/current" "$T/full" | wc -l)
	if [ "$x" -ne 0 ]; then
		lost=$((lost + x))
		diag "iteration $k: fetched again though current:" \
			"$(comm -12 "$T/current" "$T/full" | tr '\n' ' ')"
	fi
done
diag "kills that left a state file save behind: $in_save," \
	"a report being written: $in_report"
is "the state file parsed after every kill" "$bad_parse" 0
is "the report was valid JSON after every kill" "$bad_report" 0
is "every run after a kill completed" "$notdone" 0
is "no validator lost: no full body for a file already current" "$lost" 0
versions "$T/www" >"$T/v.www"
versions "$T/dl" >"$T/v.dl"
ok "every file is the server's version" cmp -s "$T/v.www" "$T/v.dl"
done_testing
