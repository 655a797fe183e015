# Reliability under faults: the real binary against the fixture server's
# fault rules (retries, backoff seen at the server, resume, checksums,
# stalls, signals, conditional reruns, the
# directory lock, --fail-fast/--deadline, full disks, hostile answers,
# --delay). t04lib.sh holds their shared helpers.
RELIAB_TESTS = \
	tests/integration/t0400-retry-http.sh \
	tests/integration/t0405-backoff.sh \
	tests/integration/t0410-resume.sh \
	tests/integration/t0415-checksum-resume.sh \
	tests/integration/t0420-stall.sh \
	tests/integration/t0430-signals.sh \
	tests/integration/t0440-conditional.sh \
	tests/integration/t0450-lock.sh \
	tests/integration/t0460-failfast-deadline.sh \
	tests/integration/t0470-disk-full.sh \
	tests/integration/t0480-limits.sh \
	tests/integration/t0485-options.sh \
	tests/integration/t0490-delay.sh
TESTS += $(RELIAB_TESTS)
EXTRA_DIST += $(RELIAB_TESTS) tests/integration/t04lib.sh
