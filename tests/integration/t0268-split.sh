#!/bin/sh
# --split: a big file as ranges fetched at once, each a request of its own
# (so -j still bounds them), written into the one NAME.part; what each
# range received is kept in NAME.part.ranges, so a rerun after SIGTERM or
# SIGKILL asks only for what is missing (at most 1.15 x the file in all,
# counted at the server); a file that changed in between comes whole,
# never spliced; a server without ranges gets one plain request; sha256=
# is checked over the whole file. Times are hang guards only.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

SIZE=16777216 # 16 MiB: four ranges of 4 MiB with --min-split-size 1M
mkdir "$T/www"
head -c $SIZE /dev/urandom >"$T/www/big.bin"
head -c 1500000 /dev/urandom >"$T/www/mid.bin" # under 2 x 1M: one request
server_start --root "$T/www" --meter
server_start --root "$T/www" --no-ranges
SPLIT="--split 4 --min-split-size 1M"

ranged() { # the ranged requests for PATH: "status range if-range conn"
	server_stats "${2:-$SERVER_URL}" | jq -r --arg p "$1" '.requests[] |
		select(.path == $p and .range != null) |
		"\(.status) \(.range) \(.if_range) \(.conn)"'
}
plain() { # how many requests for PATH had no Range
	server_stats "${2:-$SERVER_URL}" | jq --arg p "$1" \
		'[.requests[] | select(.path == $p and .range == null)] | length'
}
sent() { # body bytes the server has sent since its last reset
	server_stats | jq '.sent_100ms | add // 0'
}
# The most ranged requests for PATH that were on the wire at one time.
overlap() {
	server_stats | jq --arg p "$1" '[.requests[] |
		select(.path == $p and .range != null)] as $r |
		[$r[] | . as $a | [$r[] | select(.t_ms <= $a.t_ms and
			(.end_ms // 1e15) > $a.t_ms)] | length] | max // 0'
}
etag=
leftovers() { # DIR: nothing but the file and the state files
	ls -a "$1" | grep -E '\.part' || true
}

# ---- four ranges at once, one file ----------------------------------------
# Each range drips at 8 MB/s, so the four are on the wire together.
server_rule /big.bin "ok,drip=8000000,drip=8000000,drip=8000000,drip=8000000"
list_file "$SERVER_URL/big.bin"
run_fp -j 4 $SPLIT -o "$T/dl" --report "$T/r.json" books "$T/list"
is "split 4: exit 0" "$rc" 0
ok "split 4: the file whole and right" cmp "$T/www/big.bin" "$T/dl/big.bin"
is "split 4: no .part or ranges file left" "$(leftovers "$T/dl")" ""
ranged /big.bin >"$T/ranges"
is "split 4: four ranged requests" "$(wc -l <"$T/ranges" | tr -d ' ')" 4
is "split 4: they tile the file" "$(awk '{ split($2, a, /[=-]/);
	n += a[3] - a[2] + 1 } END { print n }' "$T/ranges")" $SIZE
is "split 4: every one a 206" "$(cut -d' ' -f1 "$T/ranges" | sort -u)" 206
etag=$(cut -d' ' -f3 "$T/ranges" | sort -u)
like "split 4: every one guarded by the strong ETag" "$etag" '^"[^"]+"$'
ov=$(overlap /big.bin)
ok "split 4: at least 3 ranged requests overlap ($ov)" test "$ov" -ge 3
is "split 4: the report counts the file once, its bytes once" \
	"$(jq -r '[(.jobs | length), .jobs[0].status, .jobs[0].bytes,
		.totals.bytes] | @tsv' "$T/r.json")" \
	"$(printf '1\tok\t%s\t%s' $SIZE $SIZE)"

# ---- -j still bounds the requests ---------------------------------------------
server_reset
server_rule /big.bin "ok,drip=8000000,drip=8000000,drip=8000000,drip=8000000"
run_fp -j 2 $SPLIT -o "$T/dl2" books "$T/list"
is "-j 2 --split 4: exit 0" "$rc" 0
ok "-j 2 --split 4: the file right" cmp "$T/www/big.bin" "$T/dl2/big.bin"
peak=$(server_stats | jq .peak_in_flight)
ok "-j 2 --split 4: never more than 2 requests at once ($peak)" \
	test "$peak" -le 2

# ---- small bodies are not split -------------------------------------------------
server_reset
list_file "$SERVER_URL/mid.bin"
run_fp -j 4 $SPLIT -o "$T/dl3" books "$T/list"
is "under 2 x --min-split-size: exit 0" "$rc" 0
ok "under 2 x --min-split-size: right" cmp "$T/www/mid.bin" "$T/dl3/mid.bin"
is "under 2 x --min-split-size: one plain request, no range" \
	"$(plain /mid.bin) $(ranged /mid.bin | wc -l | tr -d ' ')" "1 0"

# ---- split= is a job's own --split ------------------------------------------------
server_reset
printf '%s\n  split=4\n' "$SERVER_URL/big.bin" >"$T/list"
run_fp -j 4 --min-split-size 1M -o "$T/dl4" books "$T/list"
is "split=4 without --split: exit 0" "$rc" 0
ok "split=4 without --split: right" cmp "$T/www/big.bin" "$T/dl4/big.bin"
is "split=4 without --split: four ranged requests" \
	"$(ranged /big.bin | wc -l | tr -d ' ')" 4
server_reset
printf '%s\n  split=1\n' "$SERVER_URL/big.bin" >"$T/list"
run_fp -j 4 $SPLIT -o "$T/dl5" books "$T/list"
is "split=1 with --split 4: exit 0" "$rc" 0
is "split=1 with --split 4: one plain request, no range" \
	"$(plain /big.bin) $(ranged /big.bin | wc -l | tr -d ' ')" "1 0"

# ---- dir=: the ranges file lives beside NAME.part in the folder -------------------
server_reset
server_rule /big.bin "ok,drip=2000000,drip=2000000,drip=2000000,drip=2000000"
printf '%s\n  dir=sub/deeper\n' "$SERVER_URL/big.bin" >"$T/list"
start_fp -j 4 $SPLIT -o "$T/dl6" books "$T/list"
wait_until $((30 * T04_SCALE)) test -f "$T/dl6/sub/deeper/big.bin.part.ranges" ||
	diag "no ranges file in the folder"
fp_signal TERM
wait_fp
ok "dir=: the ranges file in the folder" \
	test -f "$T/dl6/sub/deeper/big.bin.part.ranges"
server_rule /big.bin ""
run_fp -j 4 $SPLIT -o "$T/dl6" books "$T/list"
is "dir=, rerun: exit 0" "$rc" 0
ok "dir=, rerun: the file right" cmp "$T/www/big.bin" "$T/dl6/sub/deeper/big.bin"
is "dir=, rerun: nothing left beside it" "$(leftovers "$T/dl6/sub/deeper")" ""
is "dir=, rerun: every request ranged" "$(plain /big.bin)" 1

# ---- interrupted, then the rerun fetches only what is missing -------------------
# interrupt SIG DIR: start a split run whose ranges drip at 2 MB/s, wait
# until the server has sent a quarter of the file, send SIG.
interrupt() {
	server_reset
	server_rule /big.bin \
		"ok,drip=2000000,drip=2000000,drip=2000000,drip=2000000"
	list_file "$SERVER_URL/big.bin"
	start_fp -j 4 $SPLIT -o "$2" books "$T/list"
	wait_until $((30 * T04_SCALE)) \
		sh -c "[ \$(curl -s '$SERVER_URL/_stats' |
			jq '.sent_100ms | add // 0') -ge $((SIZE / 4)) ]" ||
		diag "the server sent less than a quarter"
	fp_signal "$1"
	wait_fp
}
for sig in TERM KILL; do
	interrupt $sig "$T/dl-$sig"
	before=$(sent)
	if [ $sig = TERM ]; then
		is "SIGTERM: exit 143" "$rc" 143
	fi
	ok "$sig: NAME.part kept" test -f "$T/dl-$sig/big.bin.part"
	ok "$sig: NAME.part.ranges kept" test -f "$T/dl-$sig/big.bin.part.ranges"
	ok "$sig: not published" test ! -e "$T/dl-$sig/big.bin"
	server_rule /big.bin ""
	run_fp -j 4 $SPLIT -o "$T/dl-$sig" books "$T/list"
	is "$sig, rerun: exit 0" "$rc" 0
	ok "$sig, rerun: the file whole and right" \
		cmp "$T/www/big.bin" "$T/dl-$sig/big.bin"
	is "$sig, rerun: no .part or ranges file left" \
		"$(leftovers "$T/dl-$sig")" ""
	total=$(sent)
	diag "$sig: $before bytes before the interruption, $total in all"
	ok "$sig: the server sent some before ($before)" \
		test "$before" -ge $((SIZE / 4))
	ok "$sig: both runs took <= 1.15 x the file ($total)" \
		test "$total" -le $((SIZE * 115 / 100))
	is "$sig, rerun: no plain request after the first run's one" \
		"$(plain /big.bin)" 1
done

# ---- the file changed in between: whole, never spliced --------------------------
interrupt TERM "$T/dl-changed"
ok "changed: NAME.part.ranges kept" test -f "$T/dl-changed/big.bin.part.ranges"
cp "$T/www/big.bin" "$T/old.bin"
head -c $SIZE /dev/urandom >"$T/www/big.bin.new"
mv "$T/www/big.bin.new" "$T/www/big.bin"
server_rule /big.bin ""
server_reset
run_fp -j 4 $SPLIT -o "$T/dl-changed" books "$T/list"
is "changed: exit 0" "$rc" 0
ok "changed: the new version whole" cmp "$T/www/big.bin" "$T/dl-changed/big.bin"
is "changed: no .part or ranges file left" "$(leftovers "$T/dl-changed")" ""
like "changed: the old ranges were asked under the old ETag, and refused" \
	"$(ranged /big.bin | head -n 1)" "^200 bytes=[0-9]+-[0-9]+ $etag "

# ---- the server stops honouring ranges mid-way --------------------------------
server_reset
server_rule /big.bin "ok,200"
list_file "$SERVER_URL/big.bin"
run_fp -j 4 $SPLIT -o "$T/dl-200" books "$T/list"
is "a range answered 200: exit 0" "$rc" 0
ok "a range answered 200: the file right" \
	cmp "$T/www/big.bin" "$T/dl-200/big.bin"
is "a range answered 200: then one plain request for the whole" \
	"$(plain /big.bin)" 2

# ---- a range answered 503 is retried alone ------------------------------------
server_reset
server_rule /big.bin "ok,503"
run_fp -j 4 $SPLIT -o "$T/dl-503" books "$T/list"
is "a range answered 503: exit 0" "$rc" 0
ok "a range answered 503: the file right" \
	cmp "$T/www/big.bin" "$T/dl-503/big.bin"
is "a range answered 503: five ranged requests, one plain" \
	"$(ranged /big.bin | wc -l | tr -d ' ') $(plain /big.bin)" "5 1"

# ---- a server without ranges: one plain request -------------------------------
list_file "$SERVER2_URL/big.bin"
run_fp -j 4 $SPLIT -o "$T/dl-noranges" books "$T/list"
is "no ranges: exit 0" "$rc" 0
ok "no ranges: the file right" cmp "$T/www/big.bin" "$T/dl-noranges/big.bin"
is "no ranges: one request" \
	"$(server_stats "$SERVER2_URL" | jq '.requests | length')" 1
is "no ranges: no ranges file" "$(leftovers "$T/dl-noranges")" ""

# ---- sha256= over the whole file ------------------------------------------------
sum=$(sha256sum "$T/www/big.bin" | cut -d' ' -f1)
printf '%s\n  sha256=%s\n' "$SERVER_URL/big.bin" "$sum" >"$T/list"
run_fp -j 4 $SPLIT -o "$T/dl-sha" books "$T/list"
is "sha256= right: exit 0" "$rc" 0
ok "sha256= right: the file" cmp "$T/www/big.bin" "$T/dl-sha/big.bin"
printf '%s\n  sha256=%s\n' "$SERVER_URL/big.bin" \
	"$(printf '%s' "$sum" | tr 0-9a-f 1-9a-f0)" >"$T/list"
run_fp -j 4 $SPLIT -o "$T/dl-badsha" books "$T/list"
is "sha256= wrong: exit 1" "$rc" 1
like "sha256= wrong: a mismatch" "$(cat "$T/err")" "checksum mismatch"
ok "sha256= wrong: nothing published" test ! -e "$T/dl-badsha/big.bin"
is "sha256= wrong: no .part or ranges file left" \
	"$(leftovers "$T/dl-badsha")" ""

# ---- bad values -----------------------------------------------------------------
run_fp --split 17 -o "$T/dl-bad" books "$T/list"
is "--split 17: exit 2" "$rc" 2
run_fp --split 0 -o "$T/dl-bad" books "$T/list"
is "--split 0: exit 2" "$rc" 2
run_fp --min-split-size 10 -o "$T/dl-bad" books "$T/list"
is "--min-split-size 10: exit 2" "$rc" 2

done_testing
