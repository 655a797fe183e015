#!/bin/sh
# Chaos soak: a few hundred files of mixed sizes behind random server
# faults (503, 429 with Retry-After, reset, truncate, stall, drip);
# fetchpool killed with SIGKILL at random instants, rerun, several cycles,
# then run to completion. At every kill point every final NAME is
# byte-identical to the server's file, the state file parses and the
# report, if there is one, is valid JSON. At the end: every file
# identical, no .part, a bounded number of requests, and a rerun finds
# every validator (all 304).
#
# Seeded: CHAOS_SEED=N reruns a given plan (the seed is printed).
# CHAOS_FILES, CHAOS_CYCLES scale it (scripts/soak runs it longer); a
# sanitizer build or an FP_WRAPPER scales it down.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"
require_cmd jq cmp awk

seed=${CHAOS_SEED:-$(($(date +%s) % 100000 + $$))}
if [ "$T04_SCALE" -gt 1 ]; then
	: "${CHAOS_FILES:=80}" "${CHAOS_CYCLES:=4}"
else
	: "${CHAOS_FILES:=300}" "${CHAOS_CYCLES:=10}"
fi
N=$CHAOS_FILES
C=$CHAOS_CYCLES
RETRIES=3
diag "seed $seed ($N files, $C kill cycles); rerun with CHAOS_SEED=$seed"

# ---- the plan: NAME SIZE ACTIONS, one line per file ----------------------
awk -v seed="$seed" -v n="$N" 'BEGIN {
	srand(seed)
	# 429 and 503 with Retry-After pause the whole host: rare.
	split("503 503 reset reset truncate truncate stall drip ok 429+ra=1",
	      kind, " ")
	for (i = 1; i <= n; i++) {
		r = rand()
		if (r < 0.1) size = 0
		else if (r < 0.35) size = 1 + int(rand() * 16)
		else if (r < 0.92) size = 1 + int(rand() * 65536)
		else size = 1048576 + int(rand() * 2097152)
		acts = ""
		# 0..3 faults: a run with 3 retries gets through them.
		na = rand() < 0.6 ? 0 : 1 + int(rand() * 3)
		for (a = 0; a < na; a++) {
			k = kind[1 + int(rand() * 10)]
			if (k == "truncate")
				k = "truncate=" int(rand() * size)
			else if (k == "stall")
				k = "stall=" (200 + int(rand() * 1500))
			else if (k == "drip")
				k = "drip=" (size > 200000 ? 4000000 : 20000)
			acts = acts (acts == "" ? "" : ",") k
		}
		printf "f%04d.bin %d %s\n", i, size, acts == "" ? "-" : acts
	}
}' >"$T/plan"

mkdir "$T/www" "$T/dl"
set --
while read -r name size acts; do
	head -c "$size" /dev/urandom >"$T/www/$name"
	[ "$acts" = - ] || set -- "$@" --rule "/$name $acts"
	echo "$name $size" >>"$T/sizes"
done <"$T/plan"
server_start --root "$T/www" "$@"
awk -v u="$SERVER_URL" '{ printf "%s/%s File %s\n", u, $1, $1 }' \
	"$T/plan" >"$T/list"
diag "$(awk '$3 != "-" { f++ } { b += $2 } END {
	printf "%d bytes in all, %d files with faults", b, f }' "$T/plan")"

FP_ARGS="-j 8 --retries $RETRIES --stall-timeout 1 --timeout 30 -q
	--no-progress -o $T/dl --report $T/r.json books $T/list"

# The invariants that hold at any instant.
check_point() { # WHEN
	local bad=0 f n
	for f in "$T/dl"/*; do
		[ -e "$f" ] || continue
		n=${f##*/}
		case $n in *.part) continue ;; esac
		if ! cmp -s "$f" "$T/www/$n"; then
			diag "$1: $n differs from the server's"
			bad=$((bad + 1))
		fi
	done
	is "$1: every published file is whole" "$bad" 0
	if [ -e "$T/dl/.fetchpool.state" ]; then
		ok "$1: the state file parses" awk -F '\t' '
			/^#/ { next }
			NF != 4 || $2 !~ /^[0-9]*$/ || $1 == "" { bad++; print }
			END { exit bad > 0 }' "$T/dl/.fetchpool.state"
	else
		pass "$1: no state file yet"
	fi
	if [ -e "$T/r.json" ]; then
		ok "$1: the report is valid JSON" jq -e .totals "$T/r.json"
	else
		pass "$1: no report yet"
	fi
}

# ---- kill cycles -----------------------------------------------------------
k=0
while [ "$k" -lt "$C" ]; do
	k=$((k + 1))
	ms=$(awk -v s="$seed" -v k="$k" 'BEGIN { srand(s * 31 + k)
		print 30 + int(rand() * 3000) }')
	# shellcheck disable=SC2086 # FP_WRAPPER and FP_ARGS are word lists
	${FP_WRAPPER-} "$FETCHPOOL" $FP_ARGS >"$T/out" 2>"$T/err" &
	pid=$!
	sleep "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	have=$(find "$T/dl" -maxdepth 1 -name 'f*.bin' | wc -l)
	diag "kill $k after ${ms} ms: $have of $N published"
	check_point "kill $k"
done

# ---- to completion ---------------------------------------------------------
t0=$(now_ms)
# shellcheck disable=SC2086
run_fp $FP_ARGS
diag "final run: $(($(now_ms) - t0)) ms"
is "final run: exit 0" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(tail -5 "$T/err")"
check_point "final"
missing=0
while read -r name size acts; do
	cmp -s "$T/dl/$name" "$T/www/$name" || missing=$((missing + 1))
done <"$T/plan"
is "every file byte-identical to the server's" "$missing" 0
is "no .part left" "$(find "$T/dl" -name '*.part' | wc -l | tr -d ' ')" 0
is "report: every job ok or up to date" \
	"$(jq '.totals.ok + .totals.up_to_date' "$T/r.json")" "$N"
total=$(server_stats | jq .total_requests)
limit=$((N * (RETRIES + 1) * (C + 1)))
ok "no request storm: $total requests <= $limit" test "$total" -le "$limit"

# ---- every validator survived ----------------------------------------------
server_reset
# shellcheck disable=SC2086
run_fp $FP_ARGS
server_stats >"$T/s.json"
is "rerun: exit 0" "$rc" 0
is "rerun: every job up to date" "$(jq .totals.up_to_date "$T/r.json")" "$N"
is "rerun: one request per file" "$(jq .total_requests "$T/s.json")" "$N"
is "rerun: every answer a 304" \
	"$(jq -r '[.requests[].status] | unique | join(",")' "$T/s.json")" 304
is "rerun: each asked with its ETag" \
	"$(jq '[.requests[] | select(.if_none_match == null)] | length' \
		"$T/s.json")" 0
done_testing
