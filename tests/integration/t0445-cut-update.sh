#!/bin/sh
# A file that changed on the server, whose new body is cut off in the
# middle: the retry resumes the new body (Range, If-Range with the new
# ETag) and publishes it. It must never send the new ETag as
# If-None-Match, get a 304 and keep the old file as "up to date".
. "${TOP_SRCDIR:-$(dirname "$0")/../..}/tests/lib.sh"
require_cmd jq

mkdir -p "$T/www"
head -c 200000 /dev/urandom >"$T/www/f.bin"
# The first version is older than the second by more than the one-second
# resolution of Last-Modified, so both validators tell them apart.
touch -d '2 minutes ago' "$T/www/f.bin"
server_start --root "$T/www"
echo "$SERVER_URL/f.bin" >"$T/list"
run_fp -q -o "$T/dl" "$T/list"
is "first version: exit 0" "$rc" 0

# A new version (another size: another ETag), cut off once.
head -c 300000 /dev/urandom >"$T/new.bin"
mv "$T/new.bin" "$T/www/f.bin"
server_reset
server_rule /f.bin truncate=100000
run_fp -o "$T/dl" "$T/list"
is "new version cut off once: exit 0" "$rc" 0
ok "the new version is published" cmp "$T/dl/f.bin" "$T/www/f.bin"
unlike "not taken for up to date" "$(cat "$T/out")" '^Up to date'
is "asked conditionally, then resumed under the new ETag" \
	"$(server_stats | jq -r '[.requests[] | [.status, .range,
		.if_none_match != null, .if_range != null] | map(tostring) |
		join(" ")] | join(", ")')" \
	"200 null true false, 206 bytes=100000- false true"
ok "no .part left" test ! -e "$T/dl/f.bin.part"

# A 304 refreshes the validators: with the state file gone, the rerun asks
# by date only; its 304 brings the ETag back, and the next run uses it.
rm -f "$T/dl/.fetchpool.state" "$T/dl/.fetchpool.state.journal"
server_reset
run_fp -o "$T/dl" "$T/list"
like "no state: up to date by date" "$(cat "$T/out")" '^Up to date'
is "no state: asked without If-None-Match" \
	"$(server_stats | jq -r '.requests[0] | "\(.status) \(.if_none_match)"')" \
	"304 null"
server_reset
run_fp -o "$T/dl" "$T/list"
is "after the 304: If-None-Match again" \
	"$(server_stats | jq -r '.requests[0] | "\(.status) \(.if_none_match != null)"')" \
	"304 true"
done_testing
