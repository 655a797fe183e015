noinst_LIBRARIES += lib/libfetchpool.a
lib_libfetchpool_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
lib_libfetchpool_a_SOURCES = \
	lib/fetchpool.h \
	lib/error.c lib/error.h \
	lib/init.c lib/init.h \
	lib/timeutil.c lib/timeutil.h \
	lib/cancel.c lib/cancel.h \
	lib/chan.c lib/chan.h \
	lib/sem.c lib/sem.h \
	lib/prioq.c lib/prioq.h \
	lib/pool.c lib/pool.h \
	lib/sched.c lib/sched.h \
	lib/sigthread.c lib/sigthread.h \
	lib/buf.c lib/buf.h \
	lib/share.c lib/share.h \
	lib/xfer.c lib/xfer.h \
	lib/hostgate.c lib/hostgate.h \
	lib/slots.c lib/slots.h \
	lib/fetch.c lib/fetch.h \
	lib/engine.c lib/engine.h

# Everything that links the library needs its dependencies too.
FETCHPOOL_LIBS = lib/libfetchpool.a $(CURL_LIBS) $(XML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS)
