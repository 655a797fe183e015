bin_PROGRAMS += cmd/fetchpool
cmd_fetchpool_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS)
cmd_fetchpool_LDADD = $(FETCHPOOL_LIBS) -lm
cmd_fetchpool_SOURCES = \
	cmd/main.c \
	cmd/run.c cmd/run.h \
	cmd/options.c cmd/options.h \
	cmd/output.c cmd/output.h \
	cmd/cmd_books.c \
	cmd/cmd_gdp.c
