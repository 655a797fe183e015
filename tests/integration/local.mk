# Integration tests: the real binary against the fixture server.
INTEGRATION_TESTS = \
	tests/integration/t0200-books-basic.sh \
	tests/integration/t0210-books-naming.sh \
	tests/integration/t0220-cli.sh \
	tests/integration/t0230-books-priority.sh \
	tests/integration/t0240-books-concurrency.sh \
	tests/integration/t0250-request-slots.sh \
	tests/integration/t0300-gdp-countries.sh \
	tests/integration/t0310-gdp-all.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS)
