bin_PROGRAMS += cmd/fetchpool
cmd_fetchpool_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(XML_CFLAGS) $(CJSON_CFLAGS)
cmd_fetchpool_LDADD = $(FETCHPOOL_LIBS) -lm
cmd_fetchpool_SOURCES = \
	cmd/main.c \
	cmd/run.c cmd/run.h \
	cmd/options.c cmd/options.h \
	cmd/cfgfile.c cmd/cfgfile.h \
	cmd/opsout.c cmd/opsout.h \
	cmd/commands.c cmd/commands.h cmd/exit.h \
	cmd/output.c cmd/output.h \
	cmd/progress.c cmd/progress.h \
	cmd/units.c cmd/units.h \
	cmd/cmd_books.c \
	cmd/cmd_gdp.c \
	cmd/cmd_catalog.c

# The man page: doc/fetchpool.1.in with its OPTIONS list made from the
# option table (fetchpool --help-man), so the page and --help cannot drift.
nodist_man_MANS = doc/fetchpool.1
EXTRA_DIST += doc/fetchpool.1.in
CLEANFILES += doc/fetchpool.1
doc/fetchpool.1: $(srcdir)/doc/fetchpool.1.in cmd/fetchpool$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) doc && \
	cmd/fetchpool$(EXEEXT) --help-man >$@.options && \
	sed -e 's/%VERSION%/$(PACKAGE_VERSION)/g' \
	    -e '/^%OPTIONS%$$/{' -e 'r $@.options' -e 'd' -e '}' \
	    $(srcdir)/doc/fetchpool.1.in >$@.tmp && \
	rm -f $@.options && mv $@.tmp $@

# Bash completion, installed under the name bash-completion loads on demand.
bashcompdir = $(datadir)/bash-completion/completions
nodist_bashcomp_DATA = completion/fetchpool
EXTRA_DIST += completion/fetchpool.bash
CLEANFILES += completion/fetchpool
completion/fetchpool: $(srcdir)/completion/fetchpool.bash
	$(AM_V_GEN)$(MKDIR_P) completion && \
	cp $(srcdir)/completion/fetchpool.bash $@
