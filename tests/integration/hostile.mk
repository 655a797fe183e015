# Hostile input (SPEC §5): the real binary against hostile list files,
# file names, server replies, World Bank bodies, raw HTTP headers and TLS
# peers. t05rawserver is a tiny HTTP server that answers canned raw bytes
# (replies the fixture server cannot produce on purpose).
HOSTILE_TESTS = \
	tests/integration/t0500-hostile-listfile.sh \
	tests/integration/t0510-hostile-names.sh \
	tests/integration/t0520-hostile-replies.sh \
	tests/integration/t0530-hostile-gdp.sh \
	tests/integration/t0540-hostile-headers.sh \
	tests/integration/t0550-hostile-tls.sh \
	tests/integration/t0560-hostile-rdf.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/fixtures/hostile

check_PROGRAMS += tests/integration/t05rawserver
tests_integration_t05rawserver_SOURCES = tests/integration/t05rawserver.c
