# Usability: --help and the man page agree, --dry-run, shard partition,
# progress on and off a terminal, -v request lines, bash completion.
UX_TESTS =
TESTS += $(UX_TESTS)
EXTRA_DIST += $(UX_TESTS)
