/* Command-line options: one table holds every option's names, target field,
 * value type, accepted range, default, the commands that take it and its
 * help text. The parser, the defaults, --help, the man page's option list
 * and the bash completion's word lists are all made from it, so they
 * cannot drift apart. Which commands exist is cmd/commands.h's table. */
#ifndef FP_OPTIONS_H
#define FP_OPTIONS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fp_command;

/* What a repeatable option collects, in command-line order. The strings
 * point into argv (or the environment); the array is the option's. */
struct fp_strlist {
	const char **v;
	size_t n;
};

struct fp_opts {
	/* common */
	unsigned max_conc;
	unsigned max_per_host; /* 0: no cap beyond max_conc */
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
	struct fp_strlist mirrors; /* --mirror, in order; mirror is the first */
	int insecure;
	const char *cacert;    /* NULL: the system's; else a readable file */
	int64_t max_size;      /* 0: unlimited */
	int fsync;
	int dry_run;
	unsigned shard_k, shard_n; /* shard_n 0: no sharding */
	/* files for cron and monitoring */
	const char *metrics;     /* --metrics FILE, or NULL */
	const char *save_failed; /* books: --save-failed FILE, or NULL */
	const char *config;      /* --config FILE, or NULL */
	int no_config;
	char *config_text;       /* the config file read: values point in */
	struct fp_strlist headers; /* -H, each checked by fp_header_problem */
	int netrc;             /* --netrc: ~/.netrc */
	const char *netrc_file; /* the netrc file to use, or NULL: --netrc-file,
				 * or ~/.netrc (netrc_path) when it exists */
	char *netrc_path;      /* owned: the path of ~/.netrc */
	const char *proxy, *noproxy; /* NULL: the environment's */
	int64_t limit_rate;    /* bytes per second for the run; 0: none */
	/* gdp */
	int year;              /* 0: none */
	int date_from, date_to; /* 0: none */
	const char *indicator;
	const char *format;    /* json | xml */
	unsigned per_page;
	const char *sort;      /* completion | code | value */
	const char *output;    /* lines | csv | json */
	const char *region, *income, *lending; /* group codes; NULL: any */
	const char *aggregates; /* include | exclude | only */
	unsigned source;       /* database id; 0: not given (2, WDI) */
	unsigned mrv, mrnev;   /* 0: not given */
	int gapfill;
	unsigned gdp_opts_seen; /* options only gdp takes, given */
	/* books */
	int strip_headers;
	unsigned split;          /* --split: ranges per big file, 1: none */
	int64_t min_split_size;  /* --min-split-size */
	/* catalog */
	const char *catalog_file;  /* --catalog: a local copy, or NULL */
	struct fp_strlist cat_languages;
	const char *cat_author, *cat_title, *cat_subject, *cat_bookshelf;
	const char *cat_type;      /* "any": every type */
	const char *cat_issued_since; /* YYYY-MM-DD, or NULL */
	unsigned cat_limit;        /* 0: no limit */
	/* what is left: command and its arguments */
	const char *command;   /* cmd->name: "books", "gdp", "catalog" */
	char **args;
	int nargs;
	const struct fp_command *cmd; /* the command to run */
};

enum fp_opts_result {
	FP_OPTS_RUN,     /* run opts->cmd */
	FP_OPTS_EXIT_OK, /* --help or --version was printed */
	FP_OPTS_USAGE,   /* an error was printed: exit 2 */
};

/* Parse argv (getopt_long permutes, so options may stand before or after
 * the command word). Defaults come first, then the config file (see
 * cmd/cfgfile.h; errors "FILE:LINE: reason"), then the environment
 * (FETCHPOOL_GUTENBERG_URL, FETCHPOOL_WORLDBANK_URL), then the options.
 * Errors print one line to ERR naming the option and, for a bad value,
 * what it accepts: "fetchpool: -j/--max-conc: expected 1..1024, got '0'".
 * An option the command does not take is an error too. Call
 * fp_opts_free() afterwards, whatever the result. */
enum fp_opts_result fp_opts_parse(struct fp_opts *o, int argc, char **argv,
				  FILE *out, FILE *err);

/* Free what parsing allocated (repeatable options' arrays, the config
 * file's text, the netrc path). */
void fp_opts_free(struct fp_opts *o);

/* --help text: at most 79 columns. */
void fp_opts_help(FILE *out);

/* The man page's option list, in roff (.SS per group of commands, one .TP
 * per option, hidden ones left out): what the hidden --help-man prints and
 * doc/fetchpool.1 includes. */
void fp_opts_man(FILE *out);

/* What the bash completion reads (hidden --help-completion), one word per
 * field, '-' for none:
 *   command NAME ARGS
 *   option --LONG -S|- VALUE|- CMD[,CMD...]
 * VALUE is the metavar (DIR and FILE complete names) or the choices,
 * "json|xml". */
void fp_opts_completion(FILE *out);

#endif
