#!/bin/sh
# --shard K/N: over a list of 200 jobs (URLs, some with the same file
# name, and book IDs), for N = 1..5 the shards K = 0..N-1 together plan
# exactly the whole list with the same names, no job in two shards, the
# same split on every run; K from an environment variable; FNV-1a pinned.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"

M=http://127.0.0.1:9 # a dry run fetches nothing
i=1
while [ "$i" -le 200 ]; do
	case $((i % 4)) in
	0) echo "$M/host$((i % 7))/file-$i.txt" ;;
	1) echo "$M/d$i/index.html" ;;  # one name for many: .1, .2, ...
	2) echo "$((1000 + i))" ;;       # book IDs
	3) echo "$M/mirror/$((i % 5))/data.csv Title $i" ;;
	esac
	i=$((i + 1))
done >"$T/list"

plan() { # OUTFILE ARGS...
	plan_out=$1
	shift
	run_fp --mirror "$M" -o "$T/dl" --dry-run "$@" "$T/list"
	cp "$T/out" "$plan_out"
	[ "$rc" -eq 0 ] || diag "exit $rc: $*: $(cat "$T/err")"
}

plan "$T/all"
is "the whole list plans 200 jobs" "$(wc -l <"$T/all" | tr -d ' ')" 200
like "names are de-duplicated" "$(cat "$T/all")" 'index\.49\.html$'
sort "$T/all" >"$T/all.sorted"

for n in 1 2 3 4 5; do
	: >"$T/union"
	empty=
	k=0
	while [ "$k" -lt "$n" ]; do
		plan "$T/s$k" --shard "$k/$n"
		[ -s "$T/s$k" ] || empty="$empty $k"
		cat "$T/s$k" >>"$T/union"
		k=$((k + 1))
	done
	is "N=$n: no shard is empty" "$empty" ""
	is "N=$n: no job in two shards" "$(sort "$T/union" | uniq -d)" ""
	is "N=$n: the shards together are the whole list, same names" \
		"$(sort "$T/union" | diff "$T/all.sorted" -)" ""
done

plan "$T/again1" --shard 1/3
plan "$T/again2" --shard 1/3
plan "$T/s1of3" --shard 1/3
is "the same shard on every run" "$(diff "$T/again1" "$T/again2")" ""

# K from the environment, as job engines set it, with or without '$'.
JOB_COMPLETION_INDEX=1 run_fp --mirror "$M" -o "$T/dl" --dry-run \
	--shard JOB_COMPLETION_INDEX/3 "$T/list"
is "K from JOB_COMPLETION_INDEX: exit 0" "$rc" 0
is "K from JOB_COMPLETION_INDEX: shard 1/3" "$(diff "$T/s1of3" "$T/out")" ""
# shellcheck disable=SC2016 # the '$' is fetchpool's to read
SLURM_ARRAY_TASK_ID=1 run_fp --mirror "$M" -o "$T/dl" --dry-run \
	--shard '$SLURM_ARRAY_TASK_ID/3' "$T/list"
is "K from \$SLURM_ARRAY_TASK_ID: shard 1/3" "$(diff "$T/s1of3" "$T/out")" ""
(unset NO_SUCH_INDEX; run_fp --dry-run --shard NO_SUCH_INDEX/3 "$T/list"
	echo "$rc" >"$T/rc")
is "K from an unset variable: exit 2" "$(cat "$T/rc")" 2
like "K from an unset variable: named" "$(cat "$T/err")" "--shard.*NO_SUCH_INDEX"
FP_K=3 run_fp --dry-run --shard FP_K/3 "$T/list"
is "K = N: exit 2" "$rc" 2

# The hash is FNV-1a 64 of the source as written: a fixed split that any
# FNV-1a implementation reproduces (values from a reference one).
printf '1342\n2600\nhttp://127.0.0.1/x/file-1.txt\n' >"$T/three"
for spec in 1342:2/5 2600:3/5 file-1.txt:3/5 1342:1/2 2600:1/2 file-1.txt:0/2; do
	run_fp --mirror "$M" -o "$T/dl" --dry-run --shard "${spec#*:}" "$T/three"
	like "FNV-1a: ${spec%%:*} is in shard ${spec#*:}" "$(cat "$T/out")" \
		"${spec%%:*}"
done

# gdp: the country codes are split the same way.
: >"$T/union"
for k in 0 1 2; do
	run_fp --api-url "$M/v2" --dry-run --shard "$k/3" gdp \
		AFG USA CHN DEU FRA JPN BRA IND
	sed -n 's/.* -> \([A-Z]*\)$/\1/p' "$T/out" >>"$T/union"
done
is "gdp: shards split the countries" "$(sort "$T/union" | tr '\n' ' ')" \
	"AFG BRA CHN DEU FRA IND JPN USA "
run_fp --api-url "$M/v2" --dry-run --shard 1/3 gdp AFG USA CHN
is "gdp: CHN alone in shard 1/3" "$(sed -n 's/.* -> \([A-Z]*\)$/\1/p' "$T/out")" CHN
run_fp --api-url "$M/v2" --dry-run --shard 1/3 gdp
is "gdp --shard without countries: exit 2" "$rc" 2

done_testing
