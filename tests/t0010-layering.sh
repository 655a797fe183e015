#!/bin/sh
# The include graph keeps the layering of HACKING.md: lib never includes
# cmd, core modules never include domain modules, no cycle.
. "${TOP_SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
ok "include graph of lib/ and cmd/ (scripts/check-layering)" \
	sh "$TOP_SRCDIR/scripts/check-layering" "$TOP_SRCDIR"
done_testing
