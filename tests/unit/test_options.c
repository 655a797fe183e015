/* cmd/options: the table is consistent (every default parses, every row
 * belongs to a command, names are unique), each value type parses and
 * refuses what it should, the command table picks the command, an option
 * the command does not take is refused, and --help fits 79 columns.
 * options.c is included so its rows and parsers can be tested directly. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/options.c"
#include "run.h"
#include "runner.h"

/* The command table links in; its entry points are not run here. */
int fp_cmd_books(struct fp_opts *o, struct fp_out *out)
{
	(void)o, (void)out;
	return FP_EXIT_OK;
}

int fp_cmd_gdp(struct fp_opts *o, struct fp_out *out)
{
	(void)o, (void)out;
	return FP_EXIT_OK;
}

int fp_cmd_catalog(struct fp_opts *o, struct fp_out *out)
{
	(void)o, (void)out;
	return FP_EXIT_OK;
}

/* Parse the NULL-terminated words after "fetchpool"; ERR gets stderr. */
static enum fp_opts_result parse(struct fp_opts *o, char *err, size_t len,
				 ...)
{
	static char *argv[32];
	enum fp_opts_result r;
	va_list ap;
	int argc = 0;
	FILE *out = fopen("/dev/null", "w");
	FILE *e = fmemopen(err, len, "w");

	argv[argc++] = "fetchpool";
	va_start(ap, len);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	memset(err, 0, len);
	r = fp_opts_parse(o, argc, argv, out, e);
	fclose(e);
	fclose(out);
	/* Only a run's options are looked at; free the others (lists have
	 * defaults, and valgrind counts them). */
	if (r != FP_OPTS_RUN)
		fp_opts_free(o);
	return r;
}

static const struct opt_def *row(const char *name)
{
	const struct opt_def *d = opt_by_name(name, strlen(name));

	ck_assert_ptr_nonnull(d);
	return d;
}

START_TEST(table_consistent)
{
	size_t i, j;

	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];

		ck_assert_msg(d->cmds && !(d->cmds & ~(unsigned)FP_CMD_ALL),
			      "--%s: commands", d->name);
		ck_assert_msg(d->type != T_SPECIAL ||
				      (d->parse && d->expect),
			      "--%s: special without parser", d->name);
		ck_assert_msg(d->type != T_ENUM || d->choices, "--%s",
			      d->name);
		ck_assert_msg(d->type == T_FLAG || d->type == T_ACTION ||
				      d->type == T_ENUM || d->metavar,
			      "--%s: no metavar", d->name);
		for (j = i + 1; j < NOPTS; j++) {
			ck_assert_str_ne(d->name, opt_defs[j].name);
			ck_assert(!d->shortname ||
				  d->shortname != opt_defs[j].shortname);
		}
	}
}
END_TEST

START_TEST(defaults_from_rows)
{
	struct fp_opts o;
	char err[256];

	unsetenv("FETCHPOOL_GUTENBERG_URL");
	unsetenv("FETCHPOOL_WORLDBANK_URL");
	ck_assert_int_eq(parse(&o, err, sizeof(err), "list", NULL),
			 FP_OPTS_RUN);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(o.max_conc, 4);
	ck_assert_str_eq(o.output_dir, "downloads");
	ck_assert_int_eq(o.timeout_ms, 300000);
	ck_assert_int_eq(o.connect_timeout_ms, 10000);
	ck_assert_int_eq(o.stall_timeout_ms, 30000);
	ck_assert_uint_eq(o.retries, 3);
	ck_assert_int_eq(o.delay_ms, 0);
	ck_assert_int_eq(o.deadline_ms, 0);
	ck_assert_int_eq(o.progress, -1);
	ck_assert_str_eq(o.mirror, "https://www.gutenberg.org");
	ck_assert_str_eq(o.api_url, "https://api.worldbank.org/v2");
	ck_assert_str_eq(o.user_agent, "fetchpool/" PACKAGE_VERSION);
	ck_assert_ptr_null(o.cacert);
	ck_assert_str_eq(o.format, "json");
	ck_assert_uint_eq(o.per_page, 1000);
	ck_assert_str_eq(o.sort, "completion");
	ck_assert_str_eq(o.output, "lines");
	ck_assert_uint_eq(o.shard_n, 0);
	/* FILE alone: the first command, books. */
	ck_assert_ptr_eq(o.cmd, &fp_commands[0]);
	ck_assert_str_eq(o.command, "books");
	ck_assert_int_eq(o.nargs, 1);
	ck_assert_str_eq(o.args[0], "list");
	fp_opts_free(&o);

	/* The environment overrides the row's default, an option both. */
	setenv("FETCHPOOL_GUTENBERG_URL", "http://m.example", 1);
	ck_assert_int_eq(parse(&o, err, sizeof(err), "list", NULL),
			 FP_OPTS_RUN);
	ck_assert_str_eq(o.mirror, "http://m.example");
	fp_opts_free(&o);
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--mirror", "http://x",
			       "list", NULL),
			 FP_OPTS_RUN);
	ck_assert_str_eq(o.mirror, "http://x");
	unsetenv("FETCHPOOL_GUTENBERG_URL");
	fp_opts_free(&o);
}
END_TEST

START_TEST(value_types)
{
	struct fp_opts o;
	char err[64];

	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(opt_set(&o, row("max-conc"), "1024", stderr), 0);
	ck_assert_uint_eq(o.max_conc, 1024);
	ck_assert_int_eq(opt_set(&o, row("max-conc"), "1025", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("max-conc"), " 5", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("year"), "2100", stderr), 0);
	ck_assert_int_eq(o.year, 2100);
	ck_assert_int_eq(opt_set(&o, row("timeout"), "0.0001", stderr), 0);
	ck_assert_int_eq(o.timeout_ms, 1);
	ck_assert_int_eq(opt_set(&o, row("timeout"), "1.5", stderr), 0);
	ck_assert_int_eq(o.timeout_ms, 1500);
	ck_assert_int_eq(opt_set(&o, row("timeout"), "0", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("timeout"), "nan", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("delay"), "0", stderr), 0);
	ck_assert_int_eq(opt_set(&o, row("max-size"), "1k", stderr), 0);
	ck_assert_int_eq(o.max_size, 1024);
	ck_assert_int_eq(opt_set(&o, row("max-size"), "1048576G", stderr),
			 0);
	ck_assert_int_eq(opt_set(&o, row("max-size"), "1048577G", stderr),
			 -1);
	ck_assert_int_eq(opt_set(&o, row("max-size"), "0K", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("format"), "xml", stderr), 0);
	ck_assert_str_eq(o.format, "xml");
	ck_assert_int_eq(opt_set(&o, row("format"), "xm", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("report"), "", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("date"), "1990:2000", stderr), 0);
	ck_assert_int_eq(o.date_from, 1990);
	ck_assert_int_eq(o.date_to, 2000);
	ck_assert_int_eq(opt_set(&o, row("date"), "2000:2000:", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("date"), "+1990:2000", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("date"), "2000", stderr), -1);
	setenv("FP_TEST_K", "2", 1);
	ck_assert_int_eq(opt_set(&o, row("shard"), "$FP_TEST_K/3", stderr),
			 0);
	ck_assert_uint_eq(o.shard_k, 2);
	ck_assert_uint_eq(o.shard_n, 3);
	ck_assert_int_eq(opt_set(&o, row("shard"), "3/3", stderr), -1);
	ck_assert_int_eq(opt_set(&o, row("cacert"), "/dev/null", stderr), 0);
	ck_assert_str_eq(o.cacert, "/dev/null");

	/* The one message shape. */
	{
		FILE *e = fmemopen(err, sizeof(err), "w");

		opt_bad_value(e, row("per-page"), "0");
		fclose(e);
		ck_assert_str_eq(err, "fetchpool: --per-page: expected "
				      "1..32500, got '0'\n");
	}
}
END_TEST

/* A repeatable option collects its values, in order. */
START_TEST(list_type)
{
	struct holder {
		int pad;
		struct fp_strlist l;
	} t = { 0, { NULL, 0 } };
	const struct opt_def d = { .name = "header", .type = T_LIST,
				   .at = offsetof(struct holder, l),
				   .cmds = FP_CMD_ALL };

	ck_assert_int_eq(opt_set(&t, &d, "A: 1", stderr), 0);
	ck_assert_int_eq(opt_set(&t, &d, "B: 2", stderr), 0);
	ck_assert_int_eq(opt_set(&t, &d, "", stderr), -1);
	ck_assert_uint_eq(t.l.n, 2);
	ck_assert_str_eq(t.l.v[0], "A: 1");
	ck_assert_str_eq(t.l.v[1], "B: 2");
	free(t.l.v);
}
END_TEST

START_TEST(commands_pick)
{
	struct fp_opts o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, sizeof(err), "-j", "2", "gdp",
			       "--year", "2019", "afg", "US", NULL),
			 FP_OPTS_RUN);
	ck_assert_ptr_eq(o.cmd, fp_command_find("gdp"));
	ck_assert(o.cmd->run == fp_cmd_gdp);
	ck_assert_uint_eq(o.max_conc, 2);
	ck_assert_int_eq(o.year, 2019);
	ck_assert_int_eq(o.nargs, 2);
	ck_assert_uint_eq(o.gdp_opts_seen, 1);
	fp_opts_free(&o);

	ck_assert_int_eq(parse(&o, err, sizeof(err), "books", NULL),
			 FP_OPTS_USAGE);
	ck_assert_str_eq(err, "fetchpool: books takes exactly one FILE ('-' "
			      "for standard input)\n");
	ck_assert_int_eq(parse(&o, err, sizeof(err), NULL), FP_OPTS_USAGE);
	ck_assert_int_eq(parse(&o, err, sizeof(err), "gdp", "--fsync", NULL),
			 FP_OPTS_USAGE);
	ck_assert_str_eq(err, "fetchpool: --fsync: not an option of gdp, "
			      "only of books\n");
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--sort", "code", "x",
			       NULL),
			 FP_OPTS_USAGE);
	ck_assert_str_eq(err, "fetchpool: --sort: not an option of books, "
			      "only of gdp\n");
	ck_assert_int_eq(parse(&o, err, sizeof(err), "--version", NULL),
			 FP_OPTS_EXIT_OK);
	fp_opts_free(&o);
}
END_TEST

START_TEST(help_layout)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fp_opts_help(f);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		ck_assert_msg(strlen(line) <= 79, "too wide: %s", line);
		/* Only option heads start with spaces and a '-'. */
		if (line[0] == ' ' && line[strspn(line, " ")] == '-')
			ck_assert_msg(strspn(line, " ") <= 6, "%s", line);
	}
	free(buf);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = unit_tcase("options");

	tcase_add_test(tc, table_consistent);
	tcase_add_test(tc, defaults_from_rows);
	tcase_add_test(tc, value_types);
	tcase_add_test(tc, list_type);
	tcase_add_test(tc, commands_pick);
	tcase_add_test(tc, help_layout);
	suite_add_tcase(s, tc);
	return s;
}
