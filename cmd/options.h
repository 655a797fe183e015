/* Command-line options: one table holds every option's names, argument,
 * accepted range and help text; the parser, --help and the man page's
 * option list are all made from it, so they cannot drift apart. */
#ifndef FP_OPTIONS_H
#define FP_OPTIONS_H
#include <stdint.h>
#include <stdio.h>

struct fp_opts {
	/* common */
	unsigned max_conc;
	const char *output_dir;
	int64_t timeout_ms, connect_timeout_ms, stall_timeout_ms;
	unsigned retries;
	int64_t deadline_ms;   /* 0: none */
	int fail_fast;
	int64_t delay_ms;
	const char *report;
	int quiet, verbose;
	int progress;          /* -1 auto, 0 off, 1 on */
	const char *mirror, *api_url, *user_agent;
	int insecure;
	const char *cacert;
	int64_t max_size;      /* 0: unlimited */
	int fsync;
	int dry_run;
	unsigned shard_k, shard_n; /* shard_n 0: no sharding */
	/* gdp */
	int year;              /* 0: none */
	int date_from, date_to; /* 0: none */
	const char *indicator;
	const char *format;    /* json | xml */
	unsigned per_page;
	const char *sort;      /* completion | code | value */
	const char *output;    /* lines | csv | json */
	unsigned gdp_opts_seen; /* gdp-only options given */
	/* what is left: command and its arguments */
	const char *command;   /* "books" or "gdp" */
	char **args;
	int nargs;
};

enum fp_opts_result {
	FP_OPTS_RUN,     /* run opts->command */
	FP_OPTS_EXIT_OK, /* --help or --version was printed */
	FP_OPTS_USAGE,   /* an error was printed: exit 2 */
};

/* Parse argv (getopt_long permutes, so options may stand before or after
 * the subcommand). Defaults come first, then the environment
 * (FETCHPOOL_GUTENBERG_URL, FETCHPOOL_WORLDBANK_URL), then the options.
 * Errors print one line to ERR naming the option and its accepted range. */
enum fp_opts_result fp_opts_parse(struct fp_opts *o, int argc, char **argv,
				  FILE *out, FILE *err);

/* --help text. */
void fp_opts_help(FILE *out);

/* The man page's option list, in roff (.SS "Common options" and "gdp
 * options", one .TP per option, hidden ones left out): what the hidden
 * --help-man prints and doc/fetchpool.1 includes. */
void fp_opts_man(FILE *out);

#endif
