#!/bin/sh
# --save-failed FILE: the failed, cancelled and never-started jobs, as a
# list file with their option lines, written atomically, also at the
# deadline and after SIGINT; an empty run writes an empty file. Run
# against a fixed server, the saved list fetches exactly the failed jobs,
# under the names they had.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

mkdir -p "$T/www/d/x" "$T/www/d/y" "$T/g"
cp "$G/pg1342.txt" "$G/pg1342.rdf" "$T/g/"
echo one >"$T/www/d/a1"
echo x >"$T/www/d/x/index.html"
echo three >"$T/www/d/a3"
server_start --root "$T/www" --gutenberg "$T/g"
S=$SERVER_URL
H=${S#http://}
SHA=$(printf 'nine\n' | sha256sum | cut -d' ' -f1)
cat >"$T/list" <<EOL
$S/d/a1
$S/d/a2
  priority=1
http://user:secret@$H/d/x/index.html
$S/d/y/index.html Y title
$S/d/a3
1342
9999 Nine
  sha256=$SHA
EOL
server_rule /d/a3 "503,503" || BAIL_OUT "rule refused"

run_fp --mirror "$S" -o "$T/dl" --retries 1 --save-failed "$T/left" \
	books "$T/list"
is "first run: exit 1" "$rc" 1
ok "the list is written" test -f "$T/left"
ok "no temporary file left" test ! -e "$T/left.tmp"
grep -v '^[ #]' "$T/left" >"$T/left.jobs"
is "job lines: exactly the failed ones" "$(sort "$T/left.jobs" | tr '\n' ' ')" \
	"9999 $S/d/a2 $S/d/a3 $S/d/y/index.html "
like "a comment says why" "$(cat "$T/left")" '^# failed: HTTP 404 Not Found'
like "the failed index.html keeps its name" "$(cat "$T/left")" \
	'^  out=index\.1\.html$'
like "priority kept" "$(cat "$T/left")" '^  priority=1$'
like "sha256 kept" "$(cat "$T/left")" "^  sha256=$SHA\$"
like "title from the list kept" "$(cat "$T/left")" '^  title=Y title$'
like "an ID's title kept" "$(cat "$T/left")" '^  title=Nine$'
is "no credentials needed: mode 644" "$(stat -c %a "$T/left")" 644

# Fix the server: the missing files appear, the 503s stop.
server_reset
echo two >"$T/www/d/a2"
echo y >"$T/www/d/y/index.html"
printf 'nine\n' >"$T/g/pg9999.txt"
run_fp --mirror "$S" -o "$T/dl" --retries 1 --save-failed "$T/left2" \
	"$T/left"
is "rerun of the saved list: exit 0" "$rc" 0
[ "$rc" = 0 ] || diag "$(cat "$T/err")"
is "the server saw exactly the failed jobs" \
	"$(server_stats | jq -r '.requests[].path' | sort | tr '\n' ' ')" \
	"/cache/epub/9999/pg9999.txt /d/a2 /d/a3 /d/y/index.html "
ok "y/index.html under the name it had" cmp "$T/dl/index.1.html" \
	"$T/www/d/y/index.html"
ok "x/index.html untouched" cmp "$T/dl/index.html" "$T/www/d/x/index.html"
ok "pg9999.txt verified" test -f "$T/dl/pg9999.txt"
ok "nothing left: an empty file" test -f "$T/left2" -a ! -s "$T/left2"

# A failing URL with credentials: kept for the retry, file mode 600.
rm "$T/www/d/x/index.html" "$T/dl/index.html"
run_fp --mirror "$S" -o "$T/dl" --save-failed "$T/left3" "$T/list"
is "with credentials: exit 1" "$rc" 1
like "with credentials: the URL as written" "$(cat "$T/left3")" \
	"^http://user:secret@$H/d/x/index.html\$"
is "with credentials: mode 600" "$(stat -c %a "$T/left3")" 600
echo x >"$T/www/d/x/index.html"

# ---- the deadline: cancelled and never-started jobs ----------------
# 10,050 jobs at -j 1: the first waits at the server past the deadline,
# 10,000 are queued (dropped, never started) and the producer is stopped
# with 50 lines it never submitted. All are in the saved list.
server_reset
awk -v s="$S" 'BEGIN { print s "/slow/first.bin"; print "  priority=1";
	for (i = 1; i < 10050; i++) print s "/d/n" i ".txt" }' >"$T/big"
server_rule /slow/first.bin "delay=60000" || BAIL_OUT "rule refused"
run_fp --mirror "$S" -o "$T/dl2" -j 1 --deadline 1 --save-failed "$T/left4" \
	"$T/big"
is "deadline: exit 1" "$rc" 1
is "deadline: one request made" "$(server_stats | jq '.requests | length')" 1
grep -v '^[ #]' "$T/left4" | sort >"$T/left4.jobs"
grep -v '^ ' "$T/big" | sort >"$T/big.jobs"
is "deadline: every job is in the saved list" \
	"$(diff "$T/big.jobs" "$T/left4.jobs" | head -5)" ""
is "deadline: the running one cancelled" \
	"$(grep -c '^# cancelled$' "$T/left4")" 1
is "deadline: the others never started" \
	"$(grep -c '^# not started$' "$T/left4")" 10049
like "deadline: a never-read line is named like the rest" \
	"$(cat "$T/left4")" '^  out=n10049\.txt$'

# ---- SIGINT ----------------------------------------------------------
server_reset
server_rule /slow/first.bin "delay=60000" || BAIL_OUT "rule refused"
printf '%s\n' "$S/slow/first.bin" "$S/d/a1" >"$T/two"
bg_fp sig --mirror "$S" -o "$T/dl3" -j 1 --save-failed "$T/left5" "$T/two"
wait_until $((20 * T04_SCALE)) sh -c \
	"[ \$(curl -sS '$S/_stats' | jq .in_flight) -ge 1 ]" ||
	diag "the run did not start"
fp_signal INT "$BG_PID"
bg_wait
is "SIGINT: exit 130" "$bg_rc" 130
is "SIGINT: both jobs saved" \
	"$(grep -v '^[ #]' "$T/left5" | sort | tr '\n' ' ')" \
	"$S/d/a1 $S/slow/first.bin "

# ---- usage: an unwritable place fails before anything is fetched ------
server_reset
run_fp --mirror "$S" -o "$T/dl" --save-failed "$T/no/such/dir/left" \
	"$T/list"
is "unwritable: exit 2" "$rc" 2
like "unwritable: names the file" "$(cat "$T/err")" \
	"^fetchpool: cannot write '$T/no/such/dir/left': "
is "unwritable: no request" "$(server_stats | jq '.requests | length')" 0

done_testing
