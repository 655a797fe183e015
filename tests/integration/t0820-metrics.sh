#!/bin/sh
# --metrics FILE: Prometheus text that promtool accepts, written
# atomically at the end (also after SIGTERM), whose numbers are those of
# the --report of the same run: jobs per status, bytes, requests,
# retries, the exit code; books and gdp both write it.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

# The tool is part of the proof: missing, the test fails, never skips.
if ! command -v promtool >/dev/null 2>&1; then
	fail "promtool is installed (scripts/bootstrap installs prometheus)"
	done_testing
fi

mkdir -p "$T/www/d"
for f in a b c; do
	head -c 5000 /dev/urandom >"$T/www/d/$f.bin"
done
server_start --root "$T/www" --gutenberg "$G" --worldbank "$FIXTURES/worldbank"
S=$SERVER_URL
printf '%s\n' "$S/d/a.bin" "$S/d/b.bin" "$S/d/c.bin" "$S/d/missing.bin" \
	"ftp://nope/x" 1342 >"$T/list"

# metric NAME STATUS: the value of NAME{command="books"[,status=STATUS]}
metric() {
	if [ -n "${2-}" ]; then
		sed -n "s/^$1{command=\"${3:-books}\",status=\"$2\"} //p" "$T/m.prom"
	else
		sed -n "s/^$1{command=\"${3:-books}\"} //p" "$T/m.prom"
	fi
}

# promtool check: its complaints, or nothing.
check() {
	promtool check metrics <"$1" >"$T/promtool.out" 2>&1
	echo "$?$(cat "$T/promtool.out")"
}

# A first run gets a.bin, so that the second has one up to date.
echo "$S/d/a.bin" >"$T/list.a"
run_fp --mirror "$S" -o "$T/dl" "$T/list.a"
server_rule /d/b.bin "503,503" || BAIL_OUT "rule refused"
t0=$(date +%s)
run_fp --mirror "$S" -o "$T/dl" --retries 3 --report "$T/r.json" \
	--metrics "$T/m.prom" books "$T/list"
t1=$(date +%s)
is "books: exit 1" "$rc" 1
is "promtool check metrics: clean" "$(check "$T/m.prom")" 0
ok "no temporary file left" sh -c "! ls -A '$T' | grep -q '^\.m\.prom\.'"
is "mode 644 (the collector's user reads it)" "$(stat -c %a "$T/m.prom")" 644
for st in ok up_to_date failed cancelled invalid; do
	is "fetchpool_jobs{status=$st} = report" \
		"$(metric fetchpool_jobs "$st")" \
		"$(jq ".totals.$st" "$T/r.json")"
done
is "the run: 3 ok (b after 2 retries, 1342), 1 up to date, 1 failed, 1 invalid" \
	"$(jq -c '[.totals.ok, .totals.up_to_date, .totals.failed, .totals.invalid]' "$T/r.json")" \
	"[3,1,1,1]"
is "fetchpool_bytes_total = report" "$(metric fetchpool_bytes_total)" \
	"$(jq .totals.bytes "$T/r.json")"
is "fetchpool_requests_total = report attempts" \
	"$(metric fetchpool_requests_total)" "$(jq .totals.attempts "$T/r.json")"
is "fetchpool_retries_total = report retries (2)" \
	"$(metric fetchpool_retries_total)/$(jq .totals.retries "$T/r.json")" \
	"2/2"
is "fetchpool_last_run_exit_code = exit status" \
	"$(metric fetchpool_last_run_exit_code)" 1
ts=$(metric fetchpool_last_run_timestamp_seconds)
ok "timestamp within the run ($t0 <= ${ts%.*} <= $t1)" \
	test "${ts%.*}" -ge "$t0" -a "${ts%.*}" -le "$t1"
dur=$(metric fetchpool_run_duration_seconds)
ok "duration within the run ($dur s)" \
	awk -v d="$dur" -v w=$((t1 - t0 + 1)) 'BEGIN { exit !(d > 0 && d <= w) }'
for t in gauge counter; do
	like "TYPE $t lines" "$(cat "$T/m.prom")" "^# TYPE fetchpool_[a-z_]+ $t\$"
done

# ---- SIGTERM: written on the way out, exit code 143 ------------------
server_reset
server_rule /d/c.bin "delay=60000" || BAIL_OUT "rule refused"
rm -f "$T/dl/c.bin" "$T/m.prom"
echo "$S/d/c.bin" >"$T/list.c"
bg_fp sig --mirror "$S" -o "$T/dl" -j 1 --metrics "$T/m.prom" "$T/list.c"
wait_until $((20 * T04_SCALE)) sh -c \
	"[ \$(curl -sS '$S/_stats' | jq .in_flight) -ge 1 ]" ||
	diag "the run did not start"
fp_signal TERM "$BG_PID"
bg_wait
is "SIGTERM: exit 143" "$bg_rc" 143
is "SIGTERM: promtool clean" "$(check "$T/m.prom")" 0
is "SIGTERM: exit code 143 recorded" \
	"$(metric fetchpool_last_run_exit_code)" 143
is "SIGTERM: one job cancelled" "$(metric fetchpool_jobs cancelled)" 1

# ---- gdp --------------------------------------------------------------
server_reset
run_fp gdp --api-url "$S/v2" --year 2019 --metrics "$T/m.prom" ABW AFG
is "gdp: exit 0" "$rc" 0
is "gdp: promtool clean" "$(check "$T/m.prom")" 0
is "gdp: command=\"gdp\", every request ok" \
	"$(metric fetchpool_jobs ok gdp)/$(server_stats | jq '.requests | length')" \
	"3/3"
is "gdp: requests counted" "$(metric fetchpool_requests_total "" gdp)" 3
is "gdp: exit code 0" "$(metric fetchpool_last_run_exit_code "" gdp)" 0

# ---- an unwritable place: exit 1 and one line --------------------------
run_fp --mirror "$S" -o "$T/dl" --metrics "$T/no/dir/m.prom" "$T/list.a"
is "unwritable: exit 1" "$rc" 1
like "unwritable: names the file" "$(cat "$T/err")" \
	"^fetchpool: cannot write metrics '$T/no/dir/m\.prom': "

done_testing
