#!/bin/sh
# Shards share one output directory: GNU parallel starts 4 shards of one
# list into one directory at once; each exits 0, each file is fetched
# exactly once and byte-identical, and the state file holds every shard's
# validators, so an unsharded rerun and a rerun with --shard K/3 are all
# "Up to date" (304 to If-None-Match). A second run of a running shard,
# an unsharded run and shards of another N are refused with exit 3.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

# The tool is part of the proof: missing, the test fails, never skips.
if ! parallel --will-cite --version 2>/dev/null | grep -q 'GNU parallel'; then
	fail "GNU parallel is installed (scripts/bootstrap installs it)"
	done_testing
fi

NFILES=40
mkdir -p "$T/www/d"
i=1
while [ "$i" -le "$NFILES" ]; do
	# Sizes from 1 byte to ~200 KB, contents distinct.
	head -c $((i * i * 127 % 200000 + 1)) /dev/urandom >"$T/www/d/f$i.bin"
	i=$((i + 1))
done
# Every request waits, so that the four shards overlap for certain.
server_start --root "$T/www" --latency 100
: >"$T/list"
i=1
while [ "$i" -le "$NFILES" ]; do
	echo "$SERVER_URL/d/f$i.bin" >>"$T/list"
	i=$((i + 1))
done

cat >"$T/shard.sh" <<'EOS'
#!/bin/sh
# shard.sh K N [ARGS...]: one shard into the shared directory.
k=$1 n=$2
shift 2
# shellcheck disable=SC2086 # FP_WRAPPER is a command line
timeout -k 10 "${FP_TIMEOUT:-120}" ${FP_WRAPPER-} "$FETCHPOOL" -j 2 \
	-o "$T/dl" --shard "$k/$n" "$@" "$T/list" \
	>"$T/s$k-$n.out" 2>"$T/s$k-$n.err"
echo $? >"$T/s$k-$n.rc"
EOS
chmod +x "$T/shard.sh"
export T

parallel --will-cite -j 4 "$T/shard.sh" {} 4 ::: 0 1 2 3
for k in 0 1 2 3; do
	is "shard $k/4: exit 0" "$(cat "$T/s$k-4.rc")" 0
	[ "$(cat "$T/s$k-4.rc")" = 0 ] || diag "$(cat "$T/s$k-4.err")"
done
server_stats >"$T/stats1"
is "every file requested exactly once" \
	"$(jq -r '[.requests[].path] | group_by(.) | map(length) | unique | map(tostring) | join(",")' "$T/stats1")" 1
is "$NFILES requests, all 200" \
	"$(jq '[.requests[] | select(.status == 200)] | length' "$T/stats1")" \
	"$NFILES"
ok "the shards overlapped (peak in flight above 2)" \
	test "$(jq .peak_in_flight "$T/stats1")" -gt 2
bad=
i=1
while [ "$i" -le "$NFILES" ]; do
	cmp -s "$T/www/d/f$i.bin" "$T/dl/f$i.bin" || bad="$bad f$i.bin"
	i=$((i + 1))
done
is "every file byte-identical" "$bad" ""
is "the state file holds every shard's validators" \
	"$(grep -vc '^#' "$T/dl/.fetchpool.state")" "$NFILES"
ok "no temporary state file left" test ! -e "$T/dl/.fetchpool.state.tmp"

# ---- reruns: unsharded, then shards of another N ---------------------
server_reset
run_fp -o "$T/dl" "$T/list"
is "unsharded rerun: exit 0" "$rc" 0
is "unsharded rerun: all up to date" \
	"$(grep -c '^Up to date: ' "$T/out")" "$NFILES"
server_stats >"$T/stats2"
is "unsharded rerun: $NFILES answers of 304" \
	"$(jq '[.requests[] | select(.status == 304)] | length' "$T/stats2")" \
	"$NFILES"
is "unsharded rerun: each asked with the ETag a shard recorded" \
	"$(jq '[.requests[] | select(.if_none_match != null)] | length' "$T/stats2")" \
	"$NFILES"

server_reset
parallel --will-cite -j 3 "$T/shard.sh" {} 3 ::: 0 1 2
up=0
for k in 0 1 2; do
	is "shard $k/3: exit 0" "$(cat "$T/s$k-3.rc")" 0
	up=$((up + $(grep -c '^Up to date: ' "$T/s$k-3.out")))
done
is "shards of 3: all up to date" "$up" "$NFILES"
server_stats >"$T/stats3"
is "shards of 3: each file asked once, 304 to If-None-Match" \
	"$(jq '[.requests[] | select(.status == 304 and .if_none_match != null) | .path] | unique | length' "$T/stats3")/$(jq '.requests | length' "$T/stats3")" \
	"$NFILES/$NFILES"

# ---- who is refused while shard 0/4 runs ------------------------------
server_reset
run_fp --dry-run -o "$T/dl" --shard 0/4 "$T/list"
first=$(sed -n '1s/ -> .*//p' "$T/out")
slow=/${first#*://*/}
rm -f "$T/dl/${slow##*/}"
server_rule "$slow" "delay=60000" || BAIL_OUT "rule refused"
bg_fp held -o "$T/dl" --shard 0/4 "$T/list"
# Shard 0/4 holds its locks once its slow request is at the server.
wait_until $((20 * T04_SCALE)) sh -c \
	"[ \$(curl -sS '$SERVER_URL/_stats' | jq .in_flight) -ge 1 ]" ||
	diag "shard 0/4 did not start"

run_fp -o "$T/dl" --shard 0/4 "$T/list"
is "the same shard again: exit 3" "$rc" 3
like "the same shard again: names its lock" "$(cat "$T/err")" \
	"^fetchpool: '$T/dl/\.fetchpool\.lock\.0-of-4' is held by another run \(process [0-9]+\)$"
run_fp -o "$T/dl" "$T/list"
is "an unsharded run: exit 3" "$rc" 3
like "an unsharded run: names the directory lock and the shards" \
	"$(cat "$T/err")" \
	"^fetchpool: '$T/dl/\.fetchpool\.lock' is held by the shards of --shard K/4"
run_fp -o "$T/dl" --shard 1/3 "$T/list"
is "a shard of another N: exit 3" "$rc" 3
run_fp -o "$T/dl" --shard 2/4 "$T/list"
is "another shard of 4 meanwhile: exit 0" "$rc" 0
ok "shard 0/4 is still running" alive "$BG_PID"
fp_signal INT "$BG_PID"
bg_wait
is "shard 0/4: stopped by SIGINT" "$bg_rc" 130

done_testing
