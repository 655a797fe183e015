# Integration tests: the real binary against the fixture server (and, for
# replies that server cannot produce on purpose, t05rawserver: canned raw
# bytes) on 127.0.0.1. Numbered by area: 02xx books and the engine, 03xx
# gdp, 04xx faults and reliability (t04lib.sh holds their helpers), 05xx
# hostile input, 06xx the command line's usability, 07xx the options
# users of aria2c, wget2 and curl look for (headers, netrc, proxies, rate). Add a new test to the
# list in number order.
INTEGRATION_TESTS = \
	tests/integration/t0200-books-basic.sh \
	tests/integration/t0210-books-naming.sh \
	tests/integration/t0220-cli.sh \
	tests/integration/t0230-books-priority.sh \
	tests/integration/t0240-books-concurrency.sh \
	tests/integration/t0250-request-slots.sh \
	tests/integration/t0255-many-hosts.sh \
	tests/integration/t0260-per-host.sh \
	tests/integration/t0265-fallback-names.sh \
	tests/integration/t0267-mirrors.sh \
	tests/integration/t0268-split.sh \
	tests/integration/t0269-aria2c-keys.sh \
	tests/integration/t0270-catalog.sh \
	tests/integration/t0280-strip.sh \
	tests/integration/t0300-gdp-countries.sh \
	tests/integration/t0310-gdp-all.sh \
	tests/integration/t0320-gdp-groups.sh \
	tests/integration/t0330-gdp-indicators.sh \
	tests/integration/t0340-gdp-mrv.sh \
	tests/integration/t0400-retry-http.sh \
	tests/integration/t0405-backoff.sh \
	tests/integration/t0410-resume.sh \
	tests/integration/t0415-checksum-resume.sh \
	tests/integration/t0420-stall.sh \
	tests/integration/t0430-signals.sh \
	tests/integration/t0440-conditional.sh \
	tests/integration/t0445-cut-update.sh \
	tests/integration/t0450-lock.sh \
	tests/integration/t0460-failfast-deadline.sh \
	tests/integration/t0470-disk-full.sh \
	tests/integration/t0480-limits.sh \
	tests/integration/t0485-options.sh \
	tests/integration/t0490-delay.sh \
	tests/integration/t0495-stat-calls.sh \
	tests/integration/t0500-hostile-listfile.sh \
	tests/integration/t0510-hostile-names.sh \
	tests/integration/t0520-hostile-replies.sh \
	tests/integration/t0530-hostile-gdp.sh \
	tests/integration/t0540-hostile-headers.sh \
	tests/integration/t0550-hostile-tls.sh \
	tests/integration/t0560-hostile-rdf.sh \
	tests/integration/t0600-help-man.sh \
	tests/integration/t0610-dry-run.sh \
	tests/integration/t0620-shard.sh \
	tests/integration/t0630-progress.sh \
	tests/integration/t0640-verbose.sh \
	tests/integration/t0650-completion.sh \
	tests/integration/t0660-options.sh \
	tests/integration/t0700-headers.sh \
	tests/integration/t0710-netrc.sh \
	tests/integration/t0720-proxy.sh \
	tests/integration/t0730-limit-rate.sh \
	tests/integration/t0800-shard-shared-dir.sh \
	tests/integration/t0810-save-failed.sh \
	tests/integration/t0820-metrics.sh \
	tests/integration/t0830-config.sh \
	tests/integration/t0840-systemd.sh \
	tests/integration/t0850-slurm.sh \
	tests/integration/t0900-chaos.sh \
	tests/integration/t0910-kill-during-save.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/integration/t03lib.sh \
	tests/integration/t04lib.sh \
	tests/fixtures/hostile

# The catalog fixtures: the RDF-based catalog and its generator, the quirk
# rows, the generator of the big generated part (t0270).
EXTRA_DIST += tests/fixtures/gutenberg/pg_catalog.csv \
	tests/fixtures/gutenberg/make-catalog \
	tests/fixtures/gutenberg/catalog-quirks.csv \
	tests/fixtures/gutenberg/make-big-catalog

check_PROGRAMS += tests/integration/t05rawserver
tests_integration_t05rawserver_SOURCES = tests/integration/t05rawserver.c
