# libfetchpool: everything but the command line. Core modules first;
# they never include the domain modules below them (scripts/check-layering
# checks it). Unit tests are in tests/unit/local.mk.
noinst_LIBRARIES += lib/libfetchpool.a
lib_libfetchpool_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS) $(ZLIB_CFLAGS)
lib_libfetchpool_a_SOURCES = \
	lib/fetchpool.h \
	lib/error.c lib/error.h \
	lib/init.c lib/init.h \
	lib/timeutil.c lib/timeutil.h

# The concurrency core and the engine.
lib_libfetchpool_a_SOURCES += \
	lib/cancel.c lib/cancel.h \
	lib/chan.c lib/chan.h \
	lib/sem.c lib/sem.h \
	lib/prioq.c lib/prioq.h \
	lib/pool.c lib/pool.h \
	lib/sched.c lib/sched.h \
	lib/sigthread.c lib/sigthread.h \
	lib/slots.c lib/slots.h \
	lib/split.c lib/split.h \
	lib/engine.c lib/engine.h

# Transfers: one attempt, the retry policy, the --delay gate, the
# --limit-rate budget, a fetch.
lib_libfetchpool_a_SOURCES += \
	lib/buf.c lib/buf.h \
	lib/share.c lib/share.h \
	lib/ratelimit.c lib/ratelimit.h \
	lib/xfer.c lib/xfer.h \
	lib/retry.c lib/retry.h \
	lib/hostgate.c lib/hostgate.h \
	lib/fetch.c lib/fetch.h

# Files on disk: output files, the lock, validators, the report, SHA-256,
# the metrics and the list of jobs left to do.
lib_libfetchpool_a_SOURCES += \
	lib/outfile.c lib/outfile.h \
	lib/subdir.c lib/subdir.h \
	lib/dirlock.c lib/dirlock.h \
	lib/statefile.c lib/statefile.h \
	lib/report.c lib/report.h \
	lib/digest.c lib/digest.h \
	lib/metrics.c lib/metrics.h \
	lib/failedlist.c lib/failedlist.h

# Shared building blocks: UTF-8, hex, FNV-1a, growable arrays, a stable
# sort, URLs (on libcurl's CURLU), the hardened XML reader, a streaming
# CSV reader.
lib_libfetchpool_a_SOURCES += \
	lib/utf8.c lib/utf8.h \
	lib/csv.c lib/csv.h \
	lib/hex.c lib/hex.h \
	lib/hash.c lib/hash.h \
	lib/array.c lib/array.h \
	lib/sort.c lib/sort.h \
	lib/url.c lib/url.h \
	lib/xmlsafe.c lib/xmlsafe.h

# books: the list file, file names, Gutenberg URLs and RDF titles, the
# catalog's rows and filters, licence headers stripped off texts.
lib_libfetchpool_a_SOURCES += \
	lib/listfile.c lib/listfile.h \
	lib/names.c lib/names.h \
	lib/gutenberg.c lib/gutenberg.h \
	lib/catalog.c lib/catalog.h \
	lib/strip.c lib/strip.h

# gdp: World Bank URLs and replies, aggregation, statistics, output.
lib_libfetchpool_a_SOURCES += \
	lib/worldbank.c lib/worldbank.h lib/wb_internal.h \
	lib/wb_url.c lib/wb_text.c lib/wb_records.c lib/wb_countries.c \
	lib/wb_json.c lib/wb_xml.c \
	lib/gdpagg.c lib/gdpagg.h \
	lib/stats.c lib/stats.h \
	lib/gdpout.c lib/gdpout.h

# Everything that links the library needs its dependencies too.
FETCHPOOL_LIBS = lib/libfetchpool.a $(CURL_LIBS) $(XML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS)
