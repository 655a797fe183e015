#!/bin/sh
# Writes that fail: a full file system (ENOSPC, on a 1 MiB tmpfs, which
# needs mount rights) and a file size limit (EFBIG under `ulimit -f`, whose
# SIGXFSZ must not kill the run). The job fails with the system's reason,
# its .part stays, nothing corrupt gets a final name, other jobs finish.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
. "$TOP_SRCDIR/tests/integration/t04lib.sh"

server_start --gutenberg "$G"
P2600=/cache/epub/2600/pg2600.txt
# Two small books first, then one that cannot fit; one worker keeps the
# order (and so which one fails) fixed.
list_file "1080 Modest Proposal" "7256 Gift" "2600 War and Peace"

# ---- ENOSPC --------------------------------------------------------------
mkdir "$T/full"
if mount -t tmpfs -o size=1m,mode=0755 fetchpool-test "$T/full" \
	2>"$T/mount.err"; then
	# Unmount before lib.sh removes $T, keeping the exit status.
	# shellcheck disable=SC2154 # assigned in the trap
	trap '_st=$?; umount "$T/full" 2>/dev/null; (exit $_st); _lib_exit' \
		EXIT
	run_fp --mirror "$SERVER_URL" -o "$T/full" -j 1 --report "$T/r.json" \
		books "$T/list"
	is "ENOSPC: exit 1" "$rc" 1
	ok "ENOSPC: pg1080.txt byte-identical" cmp "$T/full/pg1080.txt" \
		"$G/pg1080.txt"
	ok "ENOSPC: pg7256.txt byte-identical" cmp "$T/full/pg7256.txt" \
		"$G/pg7256.txt"
	ok "ENOSPC: no pg2600.txt" test ! -e "$T/full/pg2600.txt"
	ok "ENOSPC: pg2600.txt.part kept, a prefix of the book" is_prefix \
		"$T/full/pg2600.txt.part" "$G/pg2600.txt"
	like "ENOSPC: stderr names the file and the errno text" \
		"$(cat "$T/err")" \
		"^Failed downloading War and Peace: cannot write \
'pg2600\.txt\.part': No space left on device \($U$P2600\)$"
	is "ENOSPC: report: failed" "$(job "$T/r.json" 2600 status)" failed
	like "ENOSPC: report: the reason" "$(job "$T/r.json" 2600 error)" \
		"No space left on device"
	is "ENOSPC: report: the others ok" \
		"$(job "$T/r.json" 1080 status) $(job "$T/r.json" 7256 status)" \
		"ok ok"
	is "ENOSPC: not retried (a full disk stays full)" \
		"$(job "$T/r.json" 2600 attempts)" 1
	umount "$T/full" || diag "umount failed"
else
	skip "ENOSPC: a tmpfs cannot be mounted here" \
		"$(head -n 1 "$T/mount.err")"
fi

# ---- EFBIG under a file size limit ------------------------------------
# ulimit -f counts 512-byte blocks in sh and dash: 1000 blocks = 512000
# bytes (1024000 in shells counting KiB); War and Peace is 3.3 MB.
rc=0
# shellcheck disable=SC2086 # FP_WRAPPER is a command line
sh -c 'ulimit -f 1000 && exec "$@"' sh \
	timeout -k 10 "${FP_TIMEOUT:-120}" ${FP_WRAPPER-} "$FETCHPOOL" \
	--mirror "$SERVER_URL" -o "$T/lim" -j 1 --report "$T/r2.json" \
	books "$T/list" >"$T/out" 2>"$T/err" || rc=$?
is "EFBIG: exit 1, not killed by SIGXFSZ (153)" "$rc" 1
ok "EFBIG: pg1080.txt byte-identical" cmp "$T/lim/pg1080.txt" "$G/pg1080.txt"
ok "EFBIG: pg7256.txt byte-identical" cmp "$T/lim/pg7256.txt" "$G/pg7256.txt"
ok "EFBIG: no pg2600.txt" test ! -e "$T/lim/pg2600.txt"
ok "EFBIG: pg2600.txt.part kept, a prefix of the book" is_prefix \
	"$T/lim/pg2600.txt.part" "$G/pg2600.txt"
ok "EFBIG: .part stopped at the limit" \
	test "$(file_size "$T/lim/pg2600.txt.part")" -le 1024000
like "EFBIG: stderr names the file and the errno text" "$(cat "$T/err")" \
	"^Failed downloading War and Peace: cannot write \
'pg2600\.txt\.part': File too large \($U$P2600\)$"
is "EFBIG: report: failed" "$(job "$T/r2.json" 2600 status)" failed
is "EFBIG: report: the others ok" \
	"$(job "$T/r2.json" 1080 status) $(job "$T/r2.json" 7256 status)" \
	"ok ok"
like "EFBIG: the summary was printed" "$(cat "$T/err")" \
	"^fetchpool: 2 downloaded, 0 up to date, 1 failed"

# Without the limit, the next run finishes the .part.
server_reset
run_fp --mirror "$SERVER_URL" -o "$T/lim" books "$T/list"
server_stats >"$T/s.json"
is "after EFBIG: the next run succeeds" "$rc" 0
ok "after EFBIG: pg2600.txt byte-identical" cmp "$T/lim/pg2600.txt" \
	"$G/pg2600.txt"
like "after EFBIG: it resumed the .part" \
	"$(reqs "$T/s.json" "$P2600" .range)" "^bytes=[0-9]+-$"

done_testing
