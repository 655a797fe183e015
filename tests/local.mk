# Every test speaks TAP; automake's driver counts the cases.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)

# Tests find the binaries and the fixtures from any build directory.
AM_TESTS_ENVIRONMENT = \
	FETCHPOOL='$(abs_top_builddir)/cmd/fetchpool'; export FETCHPOOL; \
	FIXTURE_SERVER='$(abs_top_builddir)/tests/server/fixture-server'; export FIXTURE_SERVER; \
	TOP_SRCDIR='$(abs_top_srcdir)'; export TOP_SRCDIR; \
	FIXTURES='$(abs_top_srcdir)/tests/fixtures'; export FIXTURES;

# Source rules checked on every run.
SOURCE_TESTS = tests/t0010-layering.sh
TESTS += $(SOURCE_TESTS)
dist_noinst_SCRIPTS += $(SOURCE_TESTS)
