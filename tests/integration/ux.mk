# Usability: --help and the man page agree, --dry-run, shard partition,
# progress on and off a terminal, -v request lines, bash completion.
UX_TESTS = \
	tests/integration/t0600-help-man.sh \
	tests/integration/t0610-dry-run.sh \
	tests/integration/t0620-shard.sh \
	tests/integration/t0630-progress.sh \
	tests/integration/t0640-verbose.sh \
	tests/integration/t0650-completion.sh \
	tests/integration/t0660-options.sh
TESTS += $(UX_TESTS)
EXTRA_DIST += $(UX_TESTS)
