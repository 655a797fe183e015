#!/bin/sh
# aria2c's input-file keys: dir= puts a file in a folder of the output
# directory (never outside it, never through a symlink), split= is read
# and checked, and any other aria2c option is named in one warning and
# ignored while the job runs.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

mkdir -p "$T/www" "$T/outside"
head -c 200000 /dev/urandom >"$T/www/big.bin"
printf 'hello\n' >"$T/www/f.txt"
server_start --root "$T/www"
U=$SERVER_URL
paths() { # the paths the server was asked for, in order
	server_stats | jq -r '[.requests[].path] | join(" ")'
}

# ---- dir= ----------------------------------------------------------------
printf '%s\n  dir=books/deep/\n%s\n  dir=books\n%s\n%s\n  dir=books\n' \
	"$U/big.bin" "$U/f.txt" "$U/f.txt" "$U/f.txt" >"$T/list"
run_fp -o "$T/dl" --report "$T/r.json" "$T/list"
is "dir=: exit 0" "$rc" 0
ok "dir=: the file in the folder, byte for byte" \
	cmp "$T/dl/books/deep/big.bin" "$T/www/big.bin"
is "dir=: a plain job stays at the top" "$(cat "$T/dl/f.txt")" hello
is "dir=: one folder, its own name" "$(cat "$T/dl/books/f.txt")" hello
is "dir=: a second claim of SUB/NAME gets .1" \
	"$(cat "$T/dl/books/f.1.txt")" hello
is "dir=: no .part left" "$(find "$T/dl" -name '*.part' | wc -l)" 0
is "dir=: the folder is 0755" "$(stat -c %a "$T/dl/books/deep")" 755
is "dir=: the report's path" "$(jq -r '.jobs[] | .path' "$T/r.json" |
	sort | tr '\n' ' ')" \
	"$T/dl/books/deep/big.bin $T/dl/books/f.1.txt $T/dl/books/f.txt $T/dl/f.txt "
like "dir=: the state file keys SUB/NAME" \
	"$(cat "$T/dl/.fetchpool.state")" '^books/deep/big\.bin	'

server_reset
run_fp -o "$T/dl" "$T/list"
is "rerun: exit 0" "$rc" 0
is "rerun: every file up to date" \
	"$(grep -c '^Up to date: ' "$T/out")" 4
is "rerun: answered 304 each" "$(server_stats |
	jq '[.requests[] | select(.status == 304)] | length')" 4

# --save-failed writes dir= back; the saved list fetches into the folder.
printf '%s\n  dir=keep/sub\n  split=3\n' "$U/missing.bin" >"$T/list"
run_fp -o "$T/dl2" --retries 0 --save-failed "$T/left" "$T/list"
is "save-failed: exit 1" "$rc" 1
like "save-failed: dir= written back" "$(cat "$T/left")" '^  dir=keep/sub$'
like "save-failed: out= is the name in the folder" "$(cat "$T/left")" \
	'^  out=missing\.bin$'
like "save-failed: split= written back" "$(cat "$T/left")" '^  split=3$'
printf 'again\n' >"$T/www/missing.bin"
run_fp -o "$T/dl2" "$T/left"
is "save-failed: the saved list runs" "$rc" 0
is "save-failed: into the same folder" "$(cat "$T/dl2/keep/sub/missing.bin")" \
	again

# ---- bad dir= ------------------------------------------------------------
server_reset
printf '%s\n  dir=/tmp/x\n%s\n  dir=a/../..\n%s\n  dir=.hidden\n' \
	"$U/f.txt" "$U/f.txt" "$U/f.txt" >"$T/list"
run_fp -o "$T/dl3" "$T/list"
is "bad dir=: exit 1" "$rc" 1
like "absolute dir=: refused at its line" "$(cat "$T/err")" \
	"^$T/list:2: dir must be a folder below the output directory: it is an absolute path$"
like "dir= with ..: refused at its line" "$(cat "$T/err")" \
	"^$T/list:4: dir must be .*'\.\.' component$"
like "hidden dir=: refused at its line" "$(cat "$T/err")" "^$T/list:6: dir "
is "bad dir=: nothing fetched" "$(paths)" ""
is "bad dir=: nothing written" "$(find "$T/dl3" -name '*.txt*' | wc -l)" 0

# A symlink where the folder should be is never followed.
mkdir -p "$T/dl4"
ln -s "$T/outside" "$T/dl4/esc"
printf '%s\n  dir=esc\n%s\n  dir=esc/in\n' "$U/f.txt" "$U/big.bin" >"$T/list"
run_fp -o "$T/dl4" "$T/list"
is "symlinked folder: exit 1" "$rc" 1
is "symlinked folder: nothing written outside" "$(ls -A "$T/outside")" ""
like "symlinked folder: the job fails, naming the file" "$(cat "$T/err")" \
	"^Failed downloading esc/f\.txt: .*esc/f\.txt\.part"
is "symlinked folder: the link is left alone" "$(readlink "$T/dl4/esc")" \
	"$T/outside"

# ---- split= --------------------------------------------------------------
printf '%s\n  split=16\n%s\n  split=0\n%s\n  split=17\n%s\n  split=x\n' \
	"$U/f.txt" "$U/big.bin" "$U/big.bin" "$U/big.bin" >"$T/list"
run_fp -o "$T/dl5" "$T/list"
is "split=: exit 1 (three jobs invalid)" "$rc" 1
is "split=16: fetched" "$(cat "$T/dl5/f.txt")" hello
like "split=0: refused" "$(cat "$T/err")" "^$T/list:4: split must be 1\.\.16$"
like "split=17: refused" "$(cat "$T/err")" "^$T/list:6: split must be 1\.\.16$"
like "split=x: refused" "$(cat "$T/err")" "^$T/list:8: split must be 1\.\.16$"
is "split=: nothing else fetched" "$(ls "$T/dl5")" f.txt

# ---- other aria2c options: one warning, the job runs -----------------------
printf '%s\n  continue=true\n  max-connection-per-server=4\n%s\n  continue=false\n  referer=*\n  out=g.txt\n' \
	"$U/f.txt" "$U/f.txt" >"$T/list"
run_fp -o "$T/dl6" "$T/list"
is "aria2c options: exit 0" "$rc" 0
is "aria2c options: the jobs ran" "$(cat "$T/dl6/f.txt" "$T/dl6/g.txt")" \
	"hello
hello"
is "aria2c options: one warning" "$(grep -c 'ignoring' "$T/err")" 1
like "aria2c options: each key once, with its first line" "$(cat "$T/err")" \
	"^fetchpool: $T/list: ignoring aria2c options: continue \\(line 2\\), max-connection-per-server \\(line 3\\), referer \\(line 6\\)$"

# Not key=value: still an error.
printf '%s\n  continue\n' "$U/f.txt" >"$T/list"
run_fp -o "$T/dl7" "$T/list"
is "not key=value: exit 1" "$rc" 1
like "not key=value: refused" "$(cat "$T/err")" \
	"^$T/list:2: option must be key=value"
done_testing
