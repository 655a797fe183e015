# Every test speaks TAP; automake's driver counts the cases.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)

# Tests find the binaries and the fixtures from any build directory, and
# nothing of the developer's environment (a config file, a cache, a proxy)
# reaches them.
AM_TESTS_ENVIRONMENT = \
	FETCHPOOL='$(abs_top_builddir)/cmd/fetchpool'; export FETCHPOOL; \
	FIXTURE_SERVER='$(abs_top_builddir)/tests/server/fixture-server'; export FIXTURE_SERVER; \
	TOP_SRCDIR='$(abs_top_srcdir)'; export TOP_SRCDIR; \
	FIXTURES='$(abs_top_srcdir)/tests/fixtures'; export FIXTURES; \
	XDG_CONFIG_HOME='$(abs_top_builddir)/tests/no-such-config'; \
	export XDG_CONFIG_HOME; \
	XDG_CACHE_HOME='$(abs_top_builddir)/tests/cache'; export XDG_CACHE_HOME; \
	unset FETCHPOOL_CONFIG FETCHPOOL_GUTENBERG_URL FETCHPOOL_WORLDBANK_URL \
		http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY \
		no_proxy NO_PROXY;

# Source rules checked on every run.
SOURCE_TESTS = tests/t0010-layering.sh
TESTS += $(SOURCE_TESTS)
dist_noinst_SCRIPTS += $(SOURCE_TESTS)

# What the tests' environment points at (the catalog cache).
clean-local: clean-tests-cache
clean-tests-cache:
	-rm -rf tests/cache tests/no-such-config
.PHONY: clean-tests-cache
