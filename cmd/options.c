#include "config.h"
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
	K_FLAG,   /* no argument */
	K_UINT,   /* integer in [min, max] */
	K_SECS,   /* seconds, decimals allowed, in (min, max] or [0, max] */
	K_BYTES,  /* integer with optional K, M, G suffix */
	K_STRING,
	K_CHOICE, /* one of a '|'-separated list */
	K_SHARD,  /* K/N */
	K_DATE,   /* Y1:Y2 */
};

enum opt_id {
	O_MAX_CONC = 'j', O_OUTPUT_DIR = 'o', O_QUIET = 'q', O_VERBOSE = 'v',
	O_HELP = 'h', O_VERSION = 'V',
	O_TIMEOUT = 256, O_CONNECT_TIMEOUT, O_STALL_TIMEOUT, O_RETRIES,
	O_DEADLINE, O_FAIL_FAST, O_DELAY, O_REPORT, O_PROGRESS, O_NO_PROGRESS,
	O_MIRROR, O_API_URL, O_USER_AGENT, O_INSECURE, O_CACERT, O_MAX_SIZE,
	O_FSYNC, O_DRY_RUN, O_SHARD,
	O_YEAR, O_DATE, O_INDICATOR, O_FORMAT, O_PER_PAGE, O_SORT, O_OUTPUT,
	O_HELP_MAN,
};

struct opt_def {
	const char *name;
	int id;
	enum opt_kind kind;
	const char *metavar;
	long long min, max;
	const char *choices;
	int gdp_only;
	const char *help;   /* one line for --help; NULL: hidden */
	const char *detail; /* more for the man page, or NULL */
};

/* The one table: the parser, --help and the man page's OPTIONS section
 * (--help-man, see doc/) are all made from it. Ranges are those the error
 * messages quote. */
static const struct opt_def opt_defs[] = {
	{ "max-conc", O_MAX_CONC, K_UINT, "N", 1, 1024, NULL, 0,
	  "at most N requests in flight (default 4)",
	  "N worker threads each keep one connection open, so a host sees "
	  "about N connections. N is 1..1024." },
	{ "output-dir", O_OUTPUT_DIR, K_STRING, "DIR", 0, 0, NULL, 0,
	  "where files go, created if missing (default downloads)",
	  "Also holds the lock, the state file and the .part files (see "
	  "FILES). Two runs never share one directory: the second exits "
	  "with status 3." },
	{ "timeout", O_TIMEOUT, K_SECS, "SEC", 0, 86400, NULL, 0,
	  "limit for one attempt of one request (default 300)",
	  "Seconds may have decimals; every limit in seconds is above 0 and "
	  "at most 86400. A timeout is a transient failure: it is retried." },
	{ "connect-timeout", O_CONNECT_TIMEOUT, K_SECS, "SEC", 0, 86400, NULL,
	  0, "TCP and TLS connect limit (default 10)", NULL },
	{ "stall-timeout", O_STALL_TIMEOUT, K_SECS, "SEC", 0, 86400, NULL, 0,
	  "abort an attempt that receives nothing for SEC (default 30)",
	  "The bytes received so far stay in the .part file and the retry "
	  "resumes after them." },
	{ "retries", O_RETRIES, K_UINT, "N", 0, 100, NULL, 0,
	  "extra attempts for transient failures (default 3)",
	  "Transient: connect and DNS failures, resets, timeouts, stalls, "
	  "HTTP 408, 425, 429, 500, 502, 503 and 504. The wait before each "
	  "retry is exponential backoff with full jitter (base 0.5 s, cap "
	  "30 s), or what the server's Retry-After asks (capped at 120 s). "
	  "N is 0..100." },
	{ "deadline", O_DEADLINE, K_SECS, "SEC", 0, 86400, NULL, 0,
	  "whole-run limit: then cancel the rest, report, exit",
	  "Unfinished jobs are reported as cancelled and the exit status "
	  "is 1." },
	{ "fail-fast", O_FAIL_FAST, K_FLAG, NULL, 0, 0, NULL, 0,
	  "the first permanent failure cancels everything else",
	  "Permanent: an HTTP 4xx other than those retried, a checksum "
	  "mismatch, a body over --max-size, a refused redirect." },
	{ "delay", O_DELAY, K_SECS, "SEC", -1, 86400, NULL, 0,
	  "minimum gap between request starts to one host (default 0)",
	  "Retries wait for their slot too. www.gutenberg.org asks robots "
	  "for 2 seconds (--delay 2)." },
	{ "report", O_REPORT, K_STRING, "FILE", 0, 0, NULL, 0,
	  "write a JSON report of every job to FILE",
	  "{\"version\":1, \"started\", \"elapsed_ms\", \"jobs\":[...], "
	  "\"totals\"}; each job has line, source, url, title, path, status "
	  "(ok, up_to_date, failed, cancelled, invalid), http_status, bytes, "
	  "attempts, elapsed_ms and error. Written atomically (FILE.tmp, "
	  "then renamed), also when the run is interrupted." },
	{ "quiet", O_QUIET, K_FLAG, NULL, 0, 0, NULL, 0,
	  "print only errors (and the summary if anything failed)",
	  "The gdp data still go to standard output. Meant for cron, which "
	  "mails whatever a job prints." },
	{ "verbose", O_VERBOSE, K_FLAG, NULL, 0, 0, NULL, 0,
	  "per-request detail: status, attempt, timings, retries",
	  "On standard error, one line per attempt: \"GET URL -> 200 OK, "
	  "attempt 1/4: dns 0.001s connect 0.002s tls 0.000s first-byte "
	  "0.010s total 0.020s, 1234 bytes\" (timings from libcurl, "
	  "cumulative from the start of the attempt), and before each retry "
	  "\"retry URL in 1.5s: REASON\"." },
	{ "progress", O_PROGRESS, K_FLAG, NULL, 0, 0, NULL, 0,
	  "live progress on stderr (default when stderr is a terminal)",
	  "On a terminal, a status line redrawn five times a second, below "
	  "the scrolling event lines: jobs done/total (\"done/?\" until the "
	  "list is read), bytes, rate, elapsed time, ETA and requests in "
	  "flight; bytes count finished jobs. Elsewhere (a log file, or a "
	  "terminal whose TERM is dumb), a plain line every 3 seconds, then "
	  "every tenth of the elapsed time (at most a minute apart): "
	  "\"[12s] 45/100 files, 3.2 MB, 1.1 MB/s\". gdp counts requests. "
	  "Implied on a terminal unless --quiet." },
	{ "no-progress", O_NO_PROGRESS, K_FLAG, NULL, 0, 0, NULL, 0,
	  "no progress output", NULL },
	{ "mirror", O_MIRROR, K_STRING, "URL", 0, 0, NULL, 0,
	  "Gutenberg base URL (env FETCHPOOL_GUTENBERG_URL)",
	  "Book IDs are fetched from URL/cache/epub/ID/pgID.txt, their "
	  "titles from URL/cache/epub/ID/pgID.rdf. Default "
	  "https://www.gutenberg.org." },
	{ "api-url", O_API_URL, K_STRING, "URL", 0, 0, NULL, 0,
	  "World Bank API base (env FETCHPOOL_WORLDBANK_URL)",
	  "Default https://api.worldbank.org/v2." },
	{ "user-agent", O_USER_AGENT, K_STRING, "S", 0, 0, NULL, 0,
	  "User-Agent header (default fetchpool/VERSION)", NULL },
	{ "insecure", O_INSECURE, K_FLAG, NULL, 0, 0, NULL, 0,
	  "skip TLS certificate and host verification", NULL },
	{ "cacert", O_CACERT, K_STRING, "FILE", 0, 0, NULL, 0,
	  "CA bundle for TLS verification", NULL },
	{ "max-size", O_MAX_SIZE, K_BYTES, "BYTES", 1, (1LL << 50), NULL, 0,
	  "fail a file larger than this (suffixes K, M, G)",
	  "K, M and G are powers of 1024. A larger body fails its job "
	  "permanently; a resumed file counts the bytes it already had." },
	{ "fsync", O_FSYNC, K_FLAG, NULL, 0, 0, NULL, 0,
	  "fsync file and directory around the rename",
	  "A published file then survives a power loss, at some cost in "
	  "speed." },
	{ "dry-run", O_DRY_RUN, K_FLAG, NULL, 0, 0, NULL, 0,
	  "parse and plan, print what would go where, fetch nothing",
	  "books: one line \"URL -> DIR/NAME\" per job in list order, with "
	  "the names a real run would use; invalid lines are reported as "
	  "usual. gdp: one line \"URL -> WHAT\" per first request. Nothing "
	  "is fetched and no directory is made or locked." },
	{ "shard", O_SHARD, K_SHARD, "K/N", 0, 65536, NULL, 0,
	  "keep only jobs whose stable hash falls in shard K of N",
	  "A job belongs to shard FNV-1a-64(SOURCE) mod N, where SOURCE is "
	  "the URL or ID as written in the list (for gdp, the upper-case "
	  "country code), so N machines split one list with no "
	  "coordinator. 0 <= K < N <= 65536. K may name an environment "
	  "variable holding the number, with or without $: "
	  "JOB_COMPLETION_INDEX/8 (a Kubernetes Indexed Job), "
	  "SLURM_ARRAY_TASK_ID/8 (a Slurm array). File names are those of a "
	  "run over the whole list, so shards sharing a directory never "
	  "collide. See SHARDING." },
	{ "year", O_YEAR, K_UINT, "Y", 1900, 2100, NULL, 1,
	  "gdp: values of year Y", NULL },
	{ "date", O_DATE, K_DATE, "Y1:Y2", 1900, 2100, NULL, 1,
	  "gdp: values of the years Y1 to Y2",
	  "Without --year or --date, each economy's most recent non-empty "
	  "value." },
	{ "indicator", O_INDICATOR, K_STRING, "CODE", 0, 0, NULL, 1,
	  "gdp: indicator code (default NY.GDP.MKTP.CD)",
	  "NY.GDP.MKTP.CD is GDP in current US$." },
	{ "format", O_FORMAT, K_CHOICE, "json|xml", 0, 0, "json|xml", 1,
	  "gdp: wire format asked of the API (default json)",
	  "JSON is parsed with cJSON, XML with libxml2; the results are the "
	  "same." },
	{ "per-page", O_PER_PAGE, K_UINT, "N", 1, 32500, NULL, 1,
	  "gdp: records per API page (default 1000)",
	  "Page 1 tells the page count; the other pages are fetched "
	  "concurrently." },
	{ "sort", O_SORT, K_CHOICE, "completion|code|value", 0, 0,
	  "completion|code|value", 1,
	  "gdp: line order (default completion)",
	  "completion prints each line as its answer arrives; value sorts "
	  "largest first." },
	{ "output", O_OUTPUT, K_CHOICE, "lines|csv|json", 0, 0,
	  "lines|csv|json", 1, "gdp: output format (default lines)",
	  "lines: \"country: AFG GDP: 18.8B\" (billions, one decimal), then "
	  "a summary; csv: the columns code, name, year, value (full "
	  "precision) and aggregate; json: one document with the records "
	  "and the summary." },
	{ "help", O_HELP, K_FLAG, NULL, 0, 0, NULL, 0, "show this help",
	  NULL },
	{ "version", O_VERSION, K_FLAG, NULL, 0, 0, NULL, 0,
	  "show the version", NULL },
	/* Hidden: the build makes doc/fetchpool.1 with it. */
	{ "help-man", O_HELP_MAN, K_FLAG, NULL, 0, 0, NULL, 0, NULL, NULL },
};

#define NOPTS (sizeof(opt_defs) / sizeof(opt_defs[0]))

static const struct opt_def *opt_find(int id)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (opt_defs[i].id == id)
			return &opt_defs[i];
	return NULL;
}

static int opt_short(const struct opt_def *d)
{
	return d->id < 256 && d->id != O_HELP && d->id != O_VERSION ? d->id
								     : 0;
}

/* "-j, --max-conc N" or "    --format json|xml". */
static void opt_left(const struct opt_def *d, char *buf, size_t len)
{
	int s = opt_short(d);

	if (s)
		snprintf(buf, len, "-%c, --%s%s%s", s, d->name,
			 d->metavar ? " " : "", d->metavar ? d->metavar : "");
	else
		snprintf(buf, len, "    --%s%s%s", d->name,
			 d->metavar ? " " : "", d->metavar ? d->metavar : "");
}

static void opt_help_list(FILE *out, int gdp)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];
		const char *help = d->help;
		char left[64];

		if (!help || d->gdp_only != gdp)
			continue;
		if (gdp && !strncmp(help, "gdp: ", 5))
			help += 5;
		opt_left(d, left, sizeof(left));
		if (strlen(left) > 28)
			fprintf(out, "  %s\n  %-28s %s\n", left, "", help);
		else
			fprintf(out, "  %-28s %s\n", left, help);
	}
}

void fp_opts_help(FILE *out)
{
	fprintf(out,
		"Usage: fetchpool [OPTIONS] FILE\n"
		"       fetchpool [OPTIONS] books FILE      "
		"(FILE '-' reads standard input)\n"
		"       fetchpool [OPTIONS] gdp [GDP OPTIONS] [COUNTRY ...]\n"
		"\n"
		"Download a list of texts or URLs concurrently, or fetch and "
		"aggregate\n"
		"World Bank GDP records.\n"
		"\n"
		"Options:\n");
	opt_help_list(out, 0);
	fprintf(out, "\nGDP options:\n");
	opt_help_list(out, 1);
	fprintf(out,
		"\nExit status: 0 all done, 1 a job failed or was cancelled "
		"or a line\n"
		"was invalid, 2 usage error, 3 output directory locked by "
		"another run,\n"
		"130/143 stopped by SIGINT/SIGTERM.\n"
		"\nThe list-file format, files, cron and sharding: "
		"man fetchpool\n");
}

/* Text for roff: backslashes and minus signs escaped, each sentence on a
 * line of its own (so roff spaces sentences right), and no line starting
 * with a control character ('.' or '\''). */
static void opt_roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else if (*s == '.' && s[1] == ' ' &&
			 isupper((unsigned char)s[2])) {
			fputs(".\n", out);
			s++;
		} else
			putc(*s, out);
	}
}

static void opt_man_list(FILE *out, int gdp)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];
		const char *help = d->help;
		int s = opt_short(d);

		if (!help || d->gdp_only != gdp)
			continue;
		if (gdp && !strncmp(help, "gdp: ", 5))
			help += 5;
		fputs(".TP\n", out);
		if (s)
			fprintf(out, "\\fB\\-%c\\fR, ", s);
		fputs("\\fB\\-\\-", out);
		opt_roff(out, d->name);
		fputs("\\fR", out);
		if (d->metavar) {
			fputs(" \\fI", out);
			opt_roff(out, d->metavar);
			fputs("\\fR", out);
		}
		fputs("\n", out);
		/* The help line is a phrase: a sentence here. */
		fprintf(out, "%c", toupper((unsigned char)help[0]));
		opt_roff(out, help + 1);
		fputs(".\n", out);
		if (d->detail) {
			opt_roff(out, d->detail);
			fputs("\n", out);
		}
	}
}

void fp_opts_man(FILE *out)
{
	fputs(".\\\" Made by fetchpool --help-man from the option table in\n"
	      ".\\\" cmd/options.c; edit that, not this.\n"
	      ".SS Common options\n",
	      out);
	opt_man_list(out, 0);
	fputs(".SS gdp options\n", out);
	opt_man_list(out, 1);
}

static void opt_range_error(FILE *err, const struct opt_def *d,
			    const char *val)
{
	fprintf(err, "fetchpool: invalid value '%s' for --%s", val, d->name);
	switch (d->kind) {
	case K_UINT:
		fprintf(err, ": expected an integer in %lld..%lld\n", d->min,
			d->max);
		break;
	case K_SECS:
		fprintf(err, ": expected seconds, %s0 and at most %lld\n",
			d->min < 0 ? ">= " : "> ", d->max);
		break;
	case K_BYTES:
		fprintf(err, ": expected a size in bytes, 1..2^50, with an "
			     "optional K, M or G suffix\n");
		break;
	case K_CHOICE:
		fprintf(err, ": expected one of %s\n", d->choices);
		break;
	case K_SHARD:
		fprintf(err, ": expected K/N with 0 <= K < N <= %lld (K may "
			     "be an environment variable such as "
			     "JOB_COMPLETION_INDEX)\n",
			d->max);
		break;
	case K_DATE:
		fprintf(err, ": expected Y1:Y2 with %lld <= Y1 <= Y2 <= "
			     "%lld\n",
			d->min, d->max);
		break;
	default:
		fputc('\n', err);
	}
}

static int opt_parse_ll(const char *s, long long *v)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int opt_parse_secs(const struct opt_def *d, const char *s, int64_t *ms)
{
	char *end;
	double v;

	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	if (d->min < 0 ? v < 0 : v <= 0)
		return -1;
	if (v > (double)d->max)
		return -1;
	*ms = (int64_t)llround(v * 1000.0);
	if (*ms == 0 && v > 0)
		*ms = 1;
	return 0;
}

static int opt_parse_bytes(const char *s, int64_t *out)
{
	long long v, mult = 1;
	char num[32];
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n + 1);
	switch (toupper((unsigned char)num[n - 1])) {
	case 'K': mult = 1LL << 10; num[--n] = '\0'; break;
	case 'M': mult = 1LL << 20; num[--n] = '\0'; break;
	case 'G': mult = 1LL << 30; num[--n] = '\0'; break;
	}
	if (opt_parse_ll(num, &v) || v < 1 || v > (1LL << 50) / mult)
		return -1;
	*out = v * mult;
	return 0;
}

/* K may be a number or the name of an environment variable holding one
 * (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID), with or without '$'. */
/* -1: bad value; -2: a message naming the unset variable is printed. */
static int opt_parse_shard(const char *s, unsigned *k, unsigned *n, FILE *err)
{
	const char *slash = strchr(s, '/');
	char kbuf[128];
	long long kv, nv;
	const char *ks = kbuf;

	if (!slash || (size_t)(slash - s) >= sizeof(kbuf))
		return -1;
	memcpy(kbuf, s, (size_t)(slash - s));
	kbuf[slash - s] = '\0';
	if (kbuf[0] == '$')
		ks = kbuf + 1;
	if (isalpha((unsigned char)ks[0]) || ks[0] == '_') {
		const char *name = ks;

		ks = getenv(name);
		if (!ks || !*ks) {
			fprintf(err, "fetchpool: --shard %s: the environment "
				     "variable %s is not set\n",
				s, name);
			return -2;
		}
	}
	if (opt_parse_ll(ks, &kv) || opt_parse_ll(slash + 1, &nv))
		return -1;
	if (nv < 1 || nv > 65536 || kv < 0 || kv >= nv)
		return -1;
	*k = (unsigned)kv;
	*n = (unsigned)nv;
	return 0;
}

static int opt_choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (*p) {
		size_t len = strcspn(p, "|");

		if (len == n && !strncmp(p, v, n))
			return 1;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

static void opt_defaults(struct fp_opts *o)
{
	const char *env;

	memset(o, 0, sizeof(*o));
	o->max_conc = 4;
	o->output_dir = "downloads";
	o->timeout_ms = 300000;
	o->connect_timeout_ms = 10000;
	o->stall_timeout_ms = 30000;
	o->retries = 3;
	o->progress = -1;
	o->mirror = "https://www.gutenberg.org";
	o->api_url = "https://api.worldbank.org/v2";
	o->user_agent = "fetchpool/" PACKAGE_VERSION;
	o->indicator = "NY.GDP.MKTP.CD";
	o->format = "json";
	o->per_page = 1000;
	o->sort = "completion";
	o->output = "lines";
	env = getenv("FETCHPOOL_GUTENBERG_URL");
	if (env && *env)
		o->mirror = env;
	env = getenv("FETCHPOOL_WORLDBANK_URL");
	if (env && *env)
		o->api_url = env;
}

static int opt_apply(struct fp_opts *o, const struct opt_def *d,
		     const char *val, FILE *err)
{
	long long v = 0;
	int64_t ms = 0;

	if (d->gdp_only)
		o->gdp_opts_seen++;
	switch (d->kind) {
	case K_UINT:
		if (opt_parse_ll(val, &v) || v < d->min || v > d->max)
			goto bad;
		break;
	case K_SECS:
		if (opt_parse_secs(d, val, &ms))
			goto bad;
		break;
	case K_CHOICE:
		if (!opt_choice_ok(d->choices, val))
			goto bad;
		break;
	case K_STRING:
		if (!*val) {
			fprintf(err, "fetchpool: empty value for --%s\n",
				d->name);
			return -1;
		}
		break;
	default:
		break;
	}

	switch (d->id) {
	case O_MAX_CONC: o->max_conc = (unsigned)v; break;
	case O_OUTPUT_DIR: o->output_dir = val; break;
	case O_TIMEOUT: o->timeout_ms = ms; break;
	case O_CONNECT_TIMEOUT: o->connect_timeout_ms = ms; break;
	case O_STALL_TIMEOUT: o->stall_timeout_ms = ms; break;
	case O_RETRIES: o->retries = (unsigned)v; break;
	case O_DEADLINE: o->deadline_ms = ms; break;
	case O_FAIL_FAST: o->fail_fast = 1; break;
	case O_DELAY: o->delay_ms = ms; break;
	case O_REPORT: o->report = val; break;
	case O_QUIET: o->quiet = 1; break;
	case O_VERBOSE: o->verbose = 1; break;
	case O_PROGRESS: o->progress = 1; break;
	case O_NO_PROGRESS: o->progress = 0; break;
	case O_MIRROR: o->mirror = val; break;
	case O_API_URL: o->api_url = val; break;
	case O_USER_AGENT: o->user_agent = val; break;
	case O_INSECURE: o->insecure = 1; break;
	case O_CACERT: o->cacert = val; break;
	case O_MAX_SIZE:
		if (opt_parse_bytes(val, &o->max_size))
			goto bad;
		break;
	case O_FSYNC: o->fsync = 1; break;
	case O_DRY_RUN: o->dry_run = 1; break;
	case O_SHARD:
		switch (opt_parse_shard(val, &o->shard_k, &o->shard_n, err)) {
		case 0:
			break;
		case -2:
			return -1;
		default:
			goto bad;
		}
		break;
	case O_YEAR: o->year = (int)v; break;
	case O_DATE:
		if (sscanf(val, "%d:%d", &o->date_from, &o->date_to) != 2 ||
		    o->date_from < d->min || o->date_to > d->max ||
		    o->date_from > o->date_to || strspn(val, "0123456789:") !=
		    strlen(val))
			goto bad;
		break;
	case O_INDICATOR: o->indicator = val; break;
	case O_FORMAT: o->format = val; break;
	case O_PER_PAGE: o->per_page = (unsigned)v; break;
	case O_SORT: o->sort = val; break;
	case O_OUTPUT: o->output = val; break;
	}
	return 0;
bad:
	opt_range_error(err, d, val);
	return -1;
}

enum fp_opts_result fp_opts_parse(struct fp_opts *o, int argc, char **argv,
				  FILE *out, FILE *err)
{
	struct option longopts[NOPTS + 1];
	char shortopts[64];
	size_t i;
	int c;

	opt_defaults(o);
	shortopts[0] = '\0';
	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];
		int s = opt_short(d);

		longopts[i] = (struct option){
			d->name,
			d->kind == K_FLAG ? no_argument : required_argument,
			NULL, d->id
		};
		if (s) {
			size_t n = strlen(shortopts);

			shortopts[n++] = (char)s;
			if (d->kind != K_FLAG)
				shortopts[n++] = ':';
			shortopts[n] = '\0';
		}
	}
	memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS]));
	/* Leading ':' makes getopt report missing arguments distinctly. */
	memmove(shortopts + 1, shortopts, strlen(shortopts) + 1);
	shortopts[0] = ':';

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	       -1) {
		const struct opt_def *d;

		if (c == '?') {
			if (optopt)
				fprintf(err, "fetchpool: unknown option '-%c' "
					     "(see fetchpool --help)\n",
					optopt);
			else
				fprintf(err, "fetchpool: unknown option '%s' "
					     "(see fetchpool --help)\n",
					argv[optind - 1]);
			return FP_OPTS_USAGE;
		}
		if (c == ':') {
			fprintf(err, "fetchpool: option '%s' needs a value\n",
				argv[optind - 1]);
			return FP_OPTS_USAGE;
		}
		if (c == O_HELP) {
			fp_opts_help(out);
			return FP_OPTS_EXIT_OK;
		}
		if (c == O_HELP_MAN) {
			fp_opts_man(out);
			return FP_OPTS_EXIT_OK;
		}
		if (c == O_VERSION) {
			fprintf(out, "fetchpool %s\n", PACKAGE_VERSION);
			return FP_OPTS_EXIT_OK;
		}
		d = opt_find(c);
		if (!d || opt_apply(o, d, optarg, err))
			return FP_OPTS_USAGE;
	}
	if (o->year && o->date_from) {
		fprintf(err,
			"fetchpool: --year and --date exclude each other\n");
		return FP_OPTS_USAGE;
	}
	if (o->quiet && o->verbose) {
		fprintf(err, "fetchpool: --quiet and --verbose exclude each "
			     "other\n");
		return FP_OPTS_USAGE;
	}

	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->nargs == 0) {
		fprintf(err, "fetchpool: missing FILE or command "
			     "(see fetchpool --help)\n");
		return FP_OPTS_USAGE;
	}
	if (!strcmp(o->args[0], "books") || !strcmp(o->args[0], "gdp")) {
		o->command = o->args[0];
		o->args++;
		o->nargs--;
	} else {
		o->command = "books";
	}
	if (!strcmp(o->command, "books")) {
		if (o->nargs != 1) {
			fprintf(err, "fetchpool: books takes exactly one FILE "
				     "('-' for standard input)\n");
			return FP_OPTS_USAGE;
		}
		if (o->gdp_opts_seen) {
			fprintf(err, "fetchpool: --year, --date, "
				     "--indicator, --format, --per-page, "
				     "--sort and --output belong to the gdp "
				     "command\n");
			return FP_OPTS_USAGE;
		}
	}
	return FP_OPTS_RUN;
}
