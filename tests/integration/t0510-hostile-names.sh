#!/bin/sh
# Hostile file names: URL segments "..", ".", encoded
# slashes, %00, control characters, 1000-byte names and names that differ
# only in case never make a path outside the output directory; symlinks
# planted in the output directory (at NAME.part, at NAME, at fetchpool's
# own files) cannot redirect a write outside it.
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq cmp head tr find stat

tree=$T/tree
mkdir -p "$tree"
for n in a b c d Book book BOOK; do printf 'file %s\n' "$n" >"$tree/$n.txt"; done
printf 'index\n' >"$tree/index.html"
server_start --root "$tree"
U=$SERVER_URL

# Paths the static server has no file for answer with a redirect to
# /a.txt, so each job writes a body under the name taken from its URL.
long=$(head -c 1000 /dev/zero | tr '\0' n)
for p in "/..%2F..%2Fx" "/..%2f..%2f..%2fetc%2fx" "/a%00b.txt" \
	"/%01%1b%5b31m%7f.txt" "/$long.txt" "/%2F%2e%2e" "/.bashrc" \
	"/x.part" "/%e2%80%aetxt.exe"; do
	server_rule "$p" "redirect=$U/a.txt" || BAIL_OUT "rule refused: $p"
done

W=$T/w
DL=$W/dl
mkdir -p "$W"
printf '%s\n' "$U/.." "$U/." "$U/..%2F..%2Fx" "$U/..%2f..%2f..%2fetc%2fx" \
	"$U/a%00b.txt" "$U/%01%1b%5b31m%7f.txt" "$U/$long.txt" \
	"$U/Book.txt" "$U/book.txt" "$U/BOOK.txt" "$U/%2F%2e%2e" \
	"$U/.bashrc" "$U/x.part" "$U/%e2%80%aetxt.exe" >"$T/list"
run_fp -o "$DL" -j 3 --report "$T/r.json" books "$T/list"
is "hostile names: exit 0" "$rc" 0
is "every job ok" "$(jq '[.jobs[] | select(.status == "ok")] | length' "$T/r.json")" 14

# Where did the files go? Only into $DL, as plain files, one level deep.
is "no file outside the output dir" \
	"$(find "$T" -type f ! -path "$DL/*" ! -path "$tree/*" ! -path "$T/*.json" \
		! -path "$T/list" ! -path "$T/out" ! -path "$T/err" \
		! -path "$T/port" ! -name '*.log' ! -name '.ok.out' ! -name '.rule.out' |
		wc -l | tr -d ' ')" 0
is "nothing in a subdirectory of the output dir" \
	"$(find "$DL" -mindepth 2 | wc -l | tr -d ' ')" 0
is "no directory made in the output dir" \
	"$(find "$DL" -mindepth 1 -type d | wc -l | tr -d ' ')" 0
ok "no file named x anywhere" sh -c "! find '$T' -name x | grep -q ."
ok "nothing written to /etc/x" test ! -e /etc/x

name_of() { # name_of URL -> the report's path for it, relative to $DL
	jq -r --arg s "$1" '.jobs[] | select(.source == $s) | .path' "$T/r.json" |
		sed "s|^$DL/||"
}
is "'..' is saved as '_.'" "$(name_of "$U/..")" "_."
is "'.' is saved as '_'" "$(name_of "$U/.")" "_"
is "..%2F..%2Fx: slashes decoded and replaced" "$(name_of "$U/..%2F..%2Fx")" "_._.._x"
is "..%2f..%2f..%2fetc%2fx" "$(name_of "$U/..%2f..%2f..%2fetc%2fx")" "_._.._.._etc_x"
is "%00 replaced" "$(name_of "$U/a%00b.txt")" "a_b.txt"
is "control characters and DEL replaced" \
	"$(name_of "$U/%01%1b%5b31m%7f.txt")" "__[31m_.txt"
is "encoded '/..' replaced" "$(name_of "$U/%2F%2e%2e")" "_.."
is "hidden name made visible" "$(name_of "$U/.bashrc")" "_bashrc"
is "a name ending in .part moved off the reserved suffix" \
	"$(name_of "$U/x.part")" "x.part_"
is "a right-to-left override replaced" "$(name_of "$U/%e2%80%aetxt.exe")" "_txt.exe"
lname=$(name_of "$U/$long.txt")
is "1000-byte name cut to 200 bytes" "$(printf '%s' "$lname" | wc -c | tr -d ' ')" 200
like "1000-byte name keeps its extension" "$lname" '^n+\.txt$'
for n in Book book BOOK; do
	ok "case-only difference: $n.txt is its own file" \
		cmp "$DL/$n.txt" "$tree/$n.txt"
done
for n in "_._.._x" "a_b.txt" "x.part_" "$lname"; do
	ok "saved: $(printf '%.20s' "$n")" cmp "$DL/$n" "$tree/a.txt"
done
ok "a '..' name is the index page, not a parent" cmp "$DL/_." "$tree/index.html"
ok "a '.' name is the index page" cmp "$DL/_" "$tree/index.html"
if od -An -c "$T/out" | grep -q '033'; then
	fail "no escape character reaches stdout"
else
	pass "no escape character reaches stdout"
fi

# ---- symlinks planted in the output directory -----------------------------
server_reset
O=$T/outside
D2=$T/dl2
mkdir -p "$O" "$D2"
printf 'victim part\n' >"$O/v-part"
printf 'victim name\n' >"$O/v-name"
touch -d '2001-02-03 04:05:06' "$O/v-part" "$O/v-name"
m_part=$(stat -c %Y "$O/v-part")
m_name=$(stat -c %Y "$O/v-name")
ln -s ../outside/v-part "$D2/a.txt.part"       # resume into a file outside
ln -s ../outside/v-name "$D2/b.txt"            # publish over a file outside
ln -s ../outside/new-part "$D2/c.txt.part"     # dangling: would create one
ln -s ../outside/new-name "$D2/d.txt"          # dangling at NAME
ln -s "$O" "$D2/Book.txt"                      # a directory outside
printf '%s\n' "$U/a.txt" "$U/b.txt" "$U/c.txt" "$U/d.txt" "$U/Book.txt" \
	>"$T/list2"
run_fp -o "$D2" --report "$T/r2.json" books "$T/list2"
is "victim behind NAME.part untouched" "$(cat "$O/v-part")" "victim part"
is "victim behind NAME.part: mtime untouched" "$(stat -c %Y "$O/v-part")" "$m_part"
is "victim behind NAME untouched" "$(cat "$O/v-name")" "victim name"
is "victim behind NAME: mtime untouched" "$(stat -c %Y "$O/v-name")" "$m_name"
ok "no file created through a dangling NAME.part" test ! -e "$O/new-part"
ok "no file created through a dangling NAME" test ! -e "$O/new-name"
is "nothing new in the outside dir" "$(ls -A "$O" | tr '\n' ' ')" "v-name v-part "
jstatus() { jq -r --arg s "$U/$1.txt" '.jobs[] | select(.source == $s) | .status' "$T/r2.json"; }
for n in b d Book; do
	# Publishing renames over the link itself: NAME becomes a plain file.
	is "$n.txt: a link at NAME does not stop the job" "$(jstatus $n)" ok
	ok "$n.txt: the link was replaced by a plain file" sh -c \
		"[ ! -L '$D2/$n.txt' ] && cmp -s '$D2/$n.txt' '$tree/$n.txt'"
done
for n in a c; do
	# NAME.part is opened with O_NOFOLLOW: a link there is refused.
	is "$n.txt: a linked .part fails the job" "$(jstatus $n)" failed
	like "$n.txt: the error names the part file" \
		"$(jq -r --arg s "$U/$n.txt" '.jobs[] | select(.source == $s) | .error' "$T/r2.json")" \
		"^cannot open '$n\\.txt\\.part': Too many levels of symbolic links"
	ok "$n.txt: nothing at NAME" test ! -e "$D2/$n.txt"
done

# ---- symlinks at fetchpool's own files ----------------------------------
D3=$T/dl3
mkdir -p "$D3"
ln -s ../outside/lock "$D3/.fetchpool.lock"
printf '%s/a.txt\n' "$U" >"$T/list3"
run_fp -o "$D3" books "$T/list3"
ok "a linked lock file creates nothing outside" test ! -e "$O/lock"
is "a linked lock file: an unusable output dir, exit 2" "$rc" 2
like "a linked lock file: said so" "$(cat "$T/err")" \
	"^fetchpool: output directory '.*' is not usable: "
rm -f "$D3/.fetchpool.lock"
printf 'victim state\n' >"$O/state"
ln -s ../outside/state "$D3/.fetchpool.state"
run_fp -o "$D3" books "$T/list3"
is "a linked state file: the run works" "$rc" 0
is "a linked state file: the file outside is untouched" "$(cat "$O/state")" "victim state"
ok "a linked state file: replaced, not followed" test ! -L "$D3/.fetchpool.state"

# ---- a directory where the file should go --------------------------------
D4=$T/dl4
mkdir -p "$D4/a.txt/inner"
run_fp -o "$D4" --report "$T/r4.json" books "$T/list3"
is "a directory at NAME: the job fails" "$rc" 1
ok "a directory at NAME: left alone" test -d "$D4/a.txt/inner"
done_testing
