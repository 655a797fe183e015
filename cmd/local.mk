bin_PROGRAMS += cmd/fetchpool
cmd_fetchpool_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS)
cmd_fetchpool_LDADD = $(FETCHPOOL_LIBS)
cmd_fetchpool_SOURCES = \
	cmd/main.c
