#include "config.h"
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfgfile.h"
#include "commands.h"
#include "fetchpool.h"
#include "exit.h"

/* How a row's value is parsed and stored. One parser per type, so storing
 * is generic; only values made of several numbers get their own. */
enum opt_type {
	T_FLAG,    /* no value: stores the row's `on` in an int */
	T_UINT,    /* unsigned in [min, max] */
	T_INT,     /* int in [min, max] */
	T_SECS,    /* seconds, decimals allowed, in (0, max] ([0, max] when
		    * min < 0), stored as int64_t milliseconds */
	T_SIZE,    /* int64_t bytes in [min, max], optional K, M, G suffix */
	T_STRING,  /* const char *, not empty */
	T_INFILE,  /* const char *: a file that can be read now, so a typo
		    * fails before anything is fetched */
	T_ENUM,    /* const char *, one of the '|'-separated choices */
	T_LIST,    /* repeatable: each value appended to a struct
		    * fp_strlist (a default is replaced by the first value
		    * given) */
	T_SPECIAL, /* the row's own parse and expect functions */
	T_ACTION,  /* no value: print something, exit 0 */
};

struct opt_def;

/* 0: stored; -1: a bad value (the caller says what the row expects);
 * -2: the error is printed already. */
typedef int opt_parse_fn(void *base, const struct opt_def *d,
			 const char *val, FILE *err);
/* What the row accepts, for "expected ..." and the man page. */
typedef void opt_expect_fn(const struct opt_def *d, char *buf, size_t len);

struct opt_def {
	const char *name;
	char shortname;          /* 0: none */
	enum opt_type type;
	size_t at;               /* the target: offset in struct fp_opts */
	const char *metavar;     /* T_ENUM shows its choices instead */
	long long min, max;      /* accepted range of numbers */
	const char *choices;     /* T_ENUM: "json|xml" */
	int on;                  /* T_FLAG: the value it stores */
	int unset;               /* T_FLAG: the field's value if not given */
	const char *def;         /* default, parsed as if given; NULL: none */
	const char *env;         /* environment variable overriding def */
	unsigned cmds;           /* FP_CMD_* bits of the commands taking it */
	const char *conflicts;   /* long names it excludes, ' '-separated */
	opt_parse_fn *parse;     /* T_SPECIAL */
	opt_expect_fn *expect;   /* T_SPECIAL */
	void (*action)(FILE *out); /* T_ACTION */
	/* T_STRING, T_LIST: why a value is refused, or NULL; and how a
	 * refused value is shown (malloc'd: a secret hidden), or NULL to
	 * show it as given. */
	const char *(*check)(const char *val);
	char *(*shown)(const char *val);
	const char *help;        /* a phrase for --help; NULL: hidden */
	const char *detail;      /* sentences for the man page, or NULL */
};

/* The target field's offset, and a compile error if its type is not T. */
#define OPT_AT(f, T)                                                   \
	(offsetof(struct fp_opts, f) +                                 \
	 0 * sizeof(_Generic(((struct fp_opts *)0)->f, T: 1)))
#define FLAG(f, v) .type = T_FLAG, .at = OPT_AT(f, int), .on = (v)
#define UINT(f, lo, hi)                                                \
	.type = T_UINT, .at = OPT_AT(f, unsigned), .min = (lo), .max = (hi)
#define INT(f, lo, hi)                                                 \
	.type = T_INT, .at = OPT_AT(f, int), .min = (lo), .max = (hi)
#define SECS(f, lo, hi)                                                \
	.type = T_SECS, .at = OPT_AT(f, int64_t), .min = (lo), .max = (hi)
#define SIZE(f, lo, hi)                                                \
	.type = T_SIZE, .at = OPT_AT(f, int64_t), .min = (lo), .max = (hi)
#define STRING(f) .type = T_STRING, .at = OPT_AT(f, const char *)
#define INFILE(f) .type = T_INFILE, .at = OPT_AT(f, const char *)
#define ENUM(f, c)                                                     \
	.type = T_ENUM, .at = OPT_AT(f, const char *), .choices = (c)
#define LIST(f) .type = T_LIST, .at = OPT_AT(f, struct fp_strlist)
#define SPECIAL(p, e) .type = T_SPECIAL, .parse = (p), .expect = (e)
#define ACTION(a) .type = T_ACTION, .action = (a)

static opt_parse_fn opt_parse_shard, opt_parse_date, opt_parse_day;
static const struct opt_def *opt_by_short(int c);
static const char *opt_check_proxy(const char *val);
static opt_expect_fn opt_expect_shard, opt_expect_date, opt_expect_day;
static void opt_act_help(FILE *out);
static void opt_act_version(FILE *out);
static void opt_act_man(FILE *out);
static void opt_act_completion(FILE *out);

/* The one table. The parser, the defaults, --help, the man page's OPTIONS
 * section (--help-man, see doc/) and the completion's word lists
 * (--help-completion) are all made from it. Adding an option is adding a
 * row (and, when it needs a new place to go, a field of struct fp_opts). */
static const struct opt_def opt_defs[] = {
	{ .name = "max-conc", .shortname = 'j', .metavar = "N",
	  UINT(max_conc, 1, 1024), .def = "4", .cmds = FP_CMD_ALL,
	  .help = "at most N requests in flight",
	  .detail = "N request slots, each with a connection kept open, so "
		    "a host sees about N connections; twice as many workers "
		    "take turns at them, so one waiting to retry holds "
		    "none." },
	{ .name = "max-per-host", .metavar = "N",
	  UINT(max_per_host, 1, 1024), .cmds = FP_CMD_ALL,
	  .help = "at most N requests in flight to one host",
	  .detail = "A host is its name and port. Jobs for a host that has N "
		    "requests in flight wait without holding a worker or a "
		    "slot, so jobs for other hosts keep flowing. Without it, "
		    "-j is the only cap. A 429 reply (or a 503 with "
		    "Retry-After) pauses every new request to its host for "
		    "the time given, at most 120 s; other hosts go on." },
	{ .name = "output-dir", .shortname = 'o', .metavar = "DIR",
	  STRING(output_dir), .def = "downloads", .cmds = FP_CMD_ALL,
	  .help = "where files go, created if missing",
	  .detail = "Also holds the lock, the state file and the .part "
		    "files (see FILES). Two runs never share one directory "
		    "(the second exits with status 3), except the shards of "
		    "one list (--shard K/N, the same N)." },
	{ .name = "timeout", .metavar = "SEC", SECS(timeout_ms, 0, 86400),
	  .def = "300", .cmds = FP_CMD_ALL,
	  .help = "limit for one attempt of one request",
	  .detail = "Seconds may have decimals. A timeout is a transient "
		    "failure: it is retried." },
	{ .name = "connect-timeout", .metavar = "SEC",
	  SECS(connect_timeout_ms, 0, 86400), .def = "10",
	  .cmds = FP_CMD_ALL, .help = "TCP and TLS connect limit" },
	{ .name = "stall-timeout", .metavar = "SEC",
	  SECS(stall_timeout_ms, 0, 86400), .def = "30", .cmds = FP_CMD_ALL,
	  .help = "abort an attempt that receives nothing for SEC",
	  .detail = "The bytes received so far stay in the .part file and "
		    "the retry resumes after them." },
	{ .name = "retries", .metavar = "N", UINT(retries, 0, 100),
	  .def = "3", .cmds = FP_CMD_ALL,
	  .help = "extra attempts for transient failures",
	  .detail = "Transient: connect and DNS failures, resets, timeouts, "
		    "stalls, HTTP 408, 425, 429, 500, 502, 503 and 504. The "
		    "wait before each retry is exponential backoff with full "
		    "jitter (base 0.5 s, cap 30 s), or what the server's "
		    "Retry-After asks (capped at 120 s)." },
	{ .name = "deadline", .metavar = "SEC", SECS(deadline_ms, 0, 86400),
	  .cmds = FP_CMD_ALL,
	  .help = "whole-run limit: then cancel the rest, report, exit",
	  .detail = "Unfinished jobs are reported as cancelled and the exit "
		    "status is 1." },
	{ .name = "fail-fast", FLAG(fail_fast, 1), .cmds = FP_CMD_ALL,
	  .help = "the first permanent failure cancels everything else",
	  .detail = "Permanent: an HTTP 4xx other than those retried, a "
		    "checksum mismatch, a body over --max-size, a refused "
		    "redirect." },
	{ .name = "delay", .metavar = "SEC", SECS(delay_ms, -1, 86400),
	  .def = "0", .cmds = FP_CMD_ALL,
	  .help = "minimum gap between request starts to one host",
	  .detail = "Retries wait for their slot too. www.gutenberg.org "
		    "asks robots for 2 seconds (--delay 2)." },
	{ .name = "report", .metavar = "FILE", STRING(report),
	  .cmds = FP_CMD_BOOKS,
	  .help = "write a JSON report of every job to FILE",
	  .detail = "{\"version\":1, \"started\", \"elapsed_ms\", "
		    "\"jobs\":[...], \"totals\"}; each job has line, source, "
		    "url, title, path, status (ok, up_to_date, failed, "
		    "cancelled, invalid), http_status, bytes, attempts, "
		    "elapsed_ms and error. Written atomically (FILE.tmp, then "
		    "renamed), also when the run is interrupted." },
	{ .name = "save-failed", .metavar = "FILE", STRING(save_failed),
	  .cmds = FP_CMD_BOOKS,
	  .help = "write the jobs left to do to FILE, as a list file",
	  .detail = "The failed, cancelled and never-started jobs, each "
		    "with a comment saying why and its option lines (out= "
		    "with the name it had, priority=, sha256=, title=), so "
		    "that fetchpool FILE retries exactly them. Written "
		    "atomically at the end, also after a signal or the "
		    "deadline; empty when nothing is left." },
	{ .name = "metrics", .metavar = "FILE", STRING(metrics),
	  .cmds = FP_CMD_ALL,
	  .help = "write Prometheus metrics of the run to FILE",
	  .detail = "The text format of node_exporter's textfile collector "
		    "(name FILE *.prom in its directory): "
		    "fetchpool_jobs{command,status}, fetchpool_bytes_total, "
		    "fetchpool_requests_total, fetchpool_retries_total, "
		    "fetchpool_run_duration_seconds, "
		    "fetchpool_last_run_timestamp_seconds and "
		    "fetchpool_last_run_exit_code. Written atomically at the "
		    "end, also after a signal or the deadline." },
	{ .name = "quiet", .shortname = 'q', FLAG(quiet, 1),
	  .cmds = FP_CMD_ALL, .conflicts = "verbose",
	  .help = "print only errors (and the summary if anything failed)",
	  .detail = "The gdp data still go to standard output. Meant for "
		    "cron, which mails whatever a job prints." },
	{ .name = "verbose", .shortname = 'v', FLAG(verbose, 1),
	  .cmds = FP_CMD_ALL,
	  .help = "per-request detail: status, attempt, timings, retries",
	  .detail = "On standard error, one line per attempt: \"GET URL -> "
		    "200 OK, attempt 1/4: dns 0.001s connect 0.002s tls "
		    "0.000s first-byte 0.010s total 0.020s, 1234 bytes\" "
		    "(timings from libcurl, cumulative from the start of the "
		    "attempt), and before each retry \"retry URL in 1.5s: "
		    "REASON\"." },
	{ .name = "progress", FLAG(progress, 1), .unset = -1,
	  .cmds = FP_CMD_ALL,
	  .help = "live progress on stderr (default when stderr is a "
		  "terminal)",
	  .detail = "On a terminal, a status line redrawn five times a "
		    "second, below the scrolling event lines: jobs done/total "
		    "(\"done/?\" until the list is read), bytes, rate, elapsed "
		    "time, ETA and requests in flight; bytes count finished "
		    "jobs. Elsewhere (a log file, or a terminal whose TERM is "
		    "dumb), a plain line every 3 seconds, then every tenth of "
		    "the elapsed time (at most a minute apart): \"[12s] "
		    "45/100 files, 3.2 MB, 1.1 MB/s\". gdp counts requests. "
		    "Implied on a terminal unless --quiet." },
	{ .name = "no-progress", FLAG(progress, 0), .cmds = FP_CMD_ALL,
	  .help = "no progress output" },
	{ .name = "mirror", .metavar = "URL", LIST(mirrors),
	  .def = "https://www.gutenberg.org", .env = "FETCHPOOL_GUTENBERG_URL",
	  .cmds = FP_CMD_ALL, .help = "Gutenberg base URL (repeatable)",
	  .detail = "Book IDs are fetched from URL/cache/epub/ID/pgID.txt, "
		    "their titles from URL/cache/epub/ID/pgID.rdf. Given "
		    "several times, each book is asked of the mirrors in "
		    "order: a failure moves on to the next at once. A book "
		    "that is not there (404) is then looked for under "
		    "files/ID/ID-0.txt, files/ID/ID.txt and the classic "
		    "layout (1/3/4/1342/1342-0.txt)." },
	{ .name = "api-url", .metavar = "URL", STRING(api_url),
	  .def = "https://api.worldbank.org/v2",
	  .env = "FETCHPOOL_WORLDBANK_URL", .cmds = FP_CMD_ALL,
	  .help = "World Bank API base" },
	{ .name = "user-agent", .metavar = "S", STRING(user_agent),
	  .def = "fetchpool/" PACKAGE_VERSION, .cmds = FP_CMD_ALL,
	  .help = "User-Agent header" },
	{ .name = "insecure", FLAG(insecure, 1), .cmds = FP_CMD_ALL,
	  .help = "skip TLS certificate and host verification" },
	{ .name = "cacert", .metavar = "FILE", INFILE(cacert),
	  .cmds = FP_CMD_ALL, .help = "CA bundle for TLS verification",
	  .detail = "Without it, the system's. A FILE that cannot be read "
		    "is a usage error, before anything is fetched." },
	{ .name = "header", .shortname = 'H', .metavar = "NAME:VALUE",
	  LIST(headers), .check = fp_header_problem,
	  .shown = fp_header_redact, .cmds = FP_CMD_ALL,
	  .help = "extra request header 'Name: value'",
	  .detail = "Sent with every request, after the list file's own "
		    "header= lines for the job have replaced any of the same "
		    "name. A header libcurl sends itself (User-Agent, Accept) "
		    "is replaced by one of the same name; 'Name:' with no "
		    "value removes it. The name must be a token and the value "
		    "free of control characters (so no CR or LF): anything "
		    "else is a usage error. The values of Authorization, "
		    "Cookie and Proxy-Authorization are secrets: -v, "
		    "errors and the report show them as ***." },
	{ .name = "netrc", FLAG(netrc, 1), .cmds = FP_CMD_ALL,
	  .help = "credentials per host from ~/.netrc",
	  .detail = "Read by libcurl: a machine's login and password are "
		    "sent to that host only. A netrc file readable or "
		    "writable by group or others is refused (exit status 2, "
		    "before anything is fetched): chmod 600 it. Without the "
		    "file, nothing is sent. Credentials are never printed." },
	{ .name = "netrc-file", .metavar = "FILE", INFILE(netrc_file),
	  .cmds = FP_CMD_ALL,
	  .help = "credentials per host from FILE (implies --netrc)",
	  .detail = "The same rules as ~/.netrc with --netrc; a FILE that "
		    "cannot be read is a usage error." },
	{ .name = "proxy", .metavar = "URL", STRING(proxy),
	  .check = opt_check_proxy, .shown = fp_url_redact,
	  .cmds = FP_CMD_ALL, .help = "send requests through this proxy",
	  .detail = "As curl's --proxy: http://HOST:PORT (the default "
		    "scheme), https://, socks5h://...; user:password@ in the "
		    "URL authenticates to the proxy and is never printed. "
		    "Without --proxy, libcurl reads the environment as curl "
		    "does: http_proxy (lower case only), https_proxy or "
		    "HTTPS_PROXY, ALL_PROXY or all_proxy, and no_proxy or "
		    "NO_PROXY." },
	{ .name = "noproxy", .metavar = "LIST", STRING(noproxy),
	  .check = opt_check_proxy, .cmds = FP_CMD_ALL,
	  .help = "hosts reached directly, not through the proxy",
	  .detail = "Comma-separated host names, domains (matching their "
		    "subdomains) and IP addresses, or * alone for every "
		    "host; it replaces no_proxy from the environment." },
	{ .name = "limit-rate", .metavar = "RATE",
	  SIZE(limit_rate, 1024, 1LL << 40), .cmds = FP_CMD_ALL,
	  .help = "cap on bytes received per second, for the whole run "
		  "(suffixes K, M, G)",
	  .detail = "One budget shared by every transfer, not one per "
		    "connection: with -j 8 the run as a whole receives RATE. "
		    "Waiting for the budget is not a stall "
		    "(--stall-timeout), but it counts towards --timeout." },
	{ .name = "max-size", .metavar = "BYTES",
	  SIZE(max_size, 1, 1LL << 50), .cmds = FP_CMD_ALL,
	  .help = "fail a file larger than this (suffixes K, M, G)",
	  .detail = "K, M and G are powers of 1024. A larger body fails its "
		    "job permanently; a resumed file counts the bytes it "
		    "already had." },
	{ .name = "split", .metavar = "N", UINT(split, 1, 16), .def = "1",
	  .cmds = FP_CMD_BOOKS,
	  .help = "fetch a big file as up to N ranges at once",
	  .detail = "For a body of known length, at least twice "
		    "--min-split-size, from a server that accepts ranges and "
		    "sends an ETag or Last-Modified: each range is a request "
		    "of its own holding its own slot (-j still bounds them), "
		    "written into the one NAME.part. What each range received "
		    "is kept in NAME.part.ranges, so a rerun after an "
		    "interruption fetches only what is missing. Helps when "
		    "the server limits each connection's rate." },
	{ .name = "min-split-size", .metavar = "SIZE",
	  SIZE(min_split_size, 1024, 1LL << 40), .def = "20M",
	  .cmds = FP_CMD_BOOKS,
	  .help = "smallest range of a split file (suffixes K, M, G)" },
	{ .name = "fsync", FLAG(fsync, 1), .cmds = FP_CMD_BOOKS,
	  .help = "fsync file and directory around the rename",
	  .detail = "A published file then survives a power loss, at some "
		    "cost in speed." },
	{ .name = "strip-headers", FLAG(strip_headers, 1),
	  .cmds = FP_CMD_BOOKS,
	  .help = "publish texts without Project Gutenberg's licence header "
		  "and footer",
	  .detail = "The file published holds the text between the start "
		    "marker (\"*** START OF THE PROJECT GUTENBERG EBOOK "
		    "...\", the pre-2002 \"*END*THE SMALL PRINT!\") and the "
		    "end marker (\"*** END OF ...\", \"End of Project "
		    "Gutenberg's ...\"). NAME.part keeps the raw body, so "
		    "resume, validators and sha256= apply to the raw bytes. A "
		    "text without markers is published unchanged, with a "
		    "warning. The list key strip=yes|no overrides it per "
		    "job." },
	{ .name = "dry-run", FLAG(dry_run, 1), .cmds = FP_CMD_ALL,
	  .help = "parse and plan, print what would go where, fetch nothing",
	  .detail = "books: one line \"URL -> DIR/NAME\" per job in list "
		    "order, with the names a real run would use; invalid "
		    "lines are reported as usual. gdp: one line \"URL -> "
		    "WHAT\" per first request. Nothing is fetched and no "
		    "directory is made or locked." },
	{ .name = "shard", .metavar = "K/N", .at = OPT_AT(shard_k, unsigned),
	  SPECIAL(opt_parse_shard, opt_expect_shard), .min = 0,
	  .max = 65536, .cmds = FP_CMD_ALL,
	  .help = "keep only jobs whose stable hash falls in shard K of N",
	  .detail = "A job belongs to shard FNV-1a-64(SOURCE) mod N, where "
		    "SOURCE is the URL or ID as written in the list (for "
		    "gdp, the upper-case country code), so N machines split "
		    "one list with no coordinator. K may name an environment "
		    "variable holding the number, with or without $: "
		    "JOB_COMPLETION_INDEX/8 (a Kubernetes Indexed Job), "
		    "SLURM_ARRAY_TASK_ID/8 (a Slurm array). File names are "
		    "those of a run over the whole list, so shards sharing a "
		    "directory never collide. See SHARDING." },
	{ .name = "year", .metavar = "Y", INT(year, 1900, 2100),
	  .cmds = FP_CMD_GDP, .conflicts = "date",
	  .help = "values of year Y" },
	{ .name = "date", .metavar = "Y1:Y2", .at = OPT_AT(date_from, int),
	  SPECIAL(opt_parse_date, opt_expect_date), .min = 1900,
	  .max = 2100, .cmds = FP_CMD_GDP,
	  .help = "values of the years Y1 to Y2",
	  .detail = "Without --year or --date, each economy's most recent "
		    "non-empty value." },
	{ .name = "indicator", .metavar = "A,B,...", STRING(indicator),
	  .def = "NY.GDP.MKTP.CD", .cmds = FP_CMD_GDP,
	  .help = "indicator codes, up to 60",
	  .detail = "NY.GDP.MKTP.CD is GDP in current US$. Several codes, "
		    "separated by commas, are fetched in as few requests as "
		    "the API's limits allow (60 indicators, 1,500 "
		    "characters per path segment, 4,000 per URL) and print "
		    "side by side: \"country: USA NY.GDP.MKTP.CD: 27720.7B "
		    "SP.POP.TOTL: 334.9M\", a long CSV (code, name, "
		    "indicator, year, value, aggregate) and a summary per "
		    "indicator." },
	{ .name = "source", .metavar = "ID", UINT(source, 1, 999999),
	  .cmds = FP_CMD_GDP, .help = "database id (default 2, WDI)",
	  .detail = "Sent as source=ID; a request for several indicators "
		    "always names one, as the API requires." },
	{ .name = "mrv", .metavar = "N", UINT(mrv, 1, 1000),
	  .cmds = FP_CMD_GDP, .conflicts = "year date mrnev",
	  .help = "the N most recent periods",
	  .detail = "Each economy's N most recent periods, ending at its "
		    "latest value; nulls inside are kept." },
	{ .name = "mrnev", .metavar = "N", UINT(mrnev, 1, 1000),
	  .cmds = FP_CMD_GDP, .conflicts = "year date",
	  .help = "the N most recent non-empty values",
	  .detail = "The default is --mrnev 1." },
	{ .name = "gapfill", FLAG(gapfill, 1), .cmds = FP_CMD_GDP,
	  .help = "with --mrv: fill empty periods",
	  .detail = "An empty period takes the previous available value "
		    "(at most N periods back). Needs --mrv." },
	{ .name = "region", .metavar = "CODE", STRING(region),
	  .cmds = FP_CMD_GDP, .help = "only economies of region CODE",
	  .detail = "Region ids of the country list: EAS, ECS, LCN, MEA, "
		    "NAC, SAS, SSF. --region, --income, --lending and "
		    "COUNTRY codes combine: an economy must match all. The "
		    "country list is fetched first, then the data." },
	{ .name = "income", .metavar = "CODE", STRING(income),
	  .cmds = FP_CMD_GDP, .help = "only economies of income level CODE",
	  .detail = "HIC, UMC, LMC or LIC (INX: not classified)." },
	{ .name = "lending", .metavar = "CODE", STRING(lending),
	  .cmds = FP_CMD_GDP, .help = "only economies of lending type CODE",
	  .detail = "IBD (IBRD), IDB (blend) or IDX (IDA); LNX: not "
		    "classified." },
	{ .name = "aggregates", ENUM(aggregates, "include|exclude|only"),
	  .def = "include", .cmds = FP_CMD_GDP,
	  .help = "which records print",
	  .detail = "Aggregates are regions and groups (WLD, EUU, HIC, "
		    "...). The summary statistics are over countries only, "
		    "whatever prints." },
	{ .name = "format", ENUM(format, "json|xml"), .def = "json",
	  .cmds = FP_CMD_GDP, .help = "wire format asked of the API",
	  .detail = "JSON is parsed with cJSON, XML with libxml2; the "
		    "results are the same." },
	{ .name = "per-page", .metavar = "N", UINT(per_page, 1, 32500),
	  .def = "1000", .cmds = FP_CMD_GDP,
	  .help = "records per API page",
	  .detail = "Page 1 tells the page count; the other pages are "
		    "fetched concurrently." },
	{ .name = "sort", ENUM(sort, "completion|code|value"),
	  .def = "completion", .cmds = FP_CMD_GDP, .help = "line order",
	  .detail = "completion prints each line as its answer arrives; "
		    "value sorts largest first." },
	{ .name = "output", ENUM(output, "lines|csv|json"), .def = "lines",
	  .cmds = FP_CMD_GDP, .help = "output format",
	  .detail = "lines: \"country: AFG GDP: 18.8B\" (billions, one "
		    "decimal), then a summary; csv: the columns code, name, "
		    "year, value (full precision) and aggregate; json: one "
		    "document with the records and the summary." },
	{ .name = "config", .metavar = "FILE", STRING(config),
	  .cmds = FP_CMD_ALL,
	  .help = "read option defaults from FILE",
	  .detail = "Default: $FETCHPOOL_CONFIG, else "
		    "$XDG_CONFIG_HOME/fetchpool/config "
		    "(~/.config/fetchpool/config). Lines \"name = value\" "
		    "(long option names, flags true or false), # comments, "
		    "[books] or [gdp] sections for one command; the command "
		    "line wins. See FILES." },
	{ .name = "no-config", FLAG(no_config, 1), .cmds = FP_CMD_ALL,
	  .help = "read no config file" },
	{ .name = "catalog", .metavar = "FILE", INFILE(catalog_file),
	  .cmds = FP_CMD_CATALOG,
	  .help = "read this copy of pg_catalog.csv (plain or gzip)",
	  .detail = "Without it the catalog is fetched from "
		    "MIRROR/cache/epub/feeds/pg_catalog.csv into "
		    "$XDG_CACHE_HOME/fetchpool (default ~/.cache/fetchpool) "
		    "and later runs ask for it conditionally. A gzip file is "
		    "recognised by its first bytes." },
	{ .name = "language", .metavar = "CODE", LIST(cat_languages),
	  .cmds = FP_CMD_CATALOG,
	  .help = "books in language CODE (any of those given)",
	  .detail = "Codes as the catalog writes them: en, fr, de, ..." },
	{ .name = "author", .metavar = "TEXT", STRING(cat_author),
	  .cmds = FP_CMD_CATALOG, .help = "books whose authors contain TEXT",
	  .detail = "All filters ignore case and combine with AND. Authors "
		    "read \"Austen, Jane, 1775-1817\"." },
	{ .name = "title", .metavar = "TEXT", STRING(cat_title),
	  .cmds = FP_CMD_CATALOG, .help = "books whose title contains TEXT" },
	{ .name = "subject", .metavar = "TEXT", STRING(cat_subject),
	  .cmds = FP_CMD_CATALOG,
	  .help = "books with a subject containing TEXT" },
	{ .name = "bookshelf", .metavar = "TEXT", STRING(cat_bookshelf),
	  .cmds = FP_CMD_CATALOG,
	  .help = "books on a bookshelf containing TEXT" },
	{ .name = "type", .metavar = "TYPE", STRING(cat_type), .def = "Text",
	  .cmds = FP_CMD_CATALOG,
	  .help = "books of type TYPE (any: every type)",
	  .detail = "The catalog's types: Text, Sound, Image, "
		    "StillImage, MovingImage, Dataset, Collection." },
	{ .name = "issued-since", .metavar = "YYYY-MM-DD",
	  .at = OPT_AT(cat_issued_since, const char *),
	  SPECIAL(opt_parse_day, opt_expect_day), .cmds = FP_CMD_CATALOG,
	  .help = "books released on that day or later" },
	{ .name = "limit", .metavar = "N", UINT(cat_limit, 1, 1000000000),
	  .cmds = FP_CMD_CATALOG, .help = "print at most N books" },
	{ .name = "help", ACTION(opt_act_help), .cmds = FP_CMD_ALL,
	  .help = "show this help" },
	{ .name = "version", ACTION(opt_act_version), .cmds = FP_CMD_ALL,
	  .help = "show the version" },
	/* Hidden: the build makes doc/fetchpool.1 with the first, the bash
	 * completion reads the second. */
	{ .name = "help-man", ACTION(opt_act_man), .cmds = FP_CMD_ALL },
	{ .name = "help-completion", ACTION(opt_act_completion),
	  .cmds = FP_CMD_ALL },
};

#define NOPTS (sizeof(opt_defs) / sizeof(opt_defs[0]))

/* getopt_long's value for a long option: its row, past any char. */
#define OPT_LONG_BASE 256

/* ---- what a row accepts ------------------------------------------------ */

/* "-j/--max-conc" or "--timeout": how errors name an option. */
static const char *opt_label(const struct opt_def *d, char *buf, size_t len)
{
	if (d->shortname)
		snprintf(buf, len, "-%c/--%s", d->shortname, d->name);
	else
		snprintf(buf, len, "--%s", d->name);
	return buf;
}

/* A size with the largest suffix that divides it: 1048576G, 20M, 1. */
static void opt_fmt_size(long long v, char *buf, size_t len)
{
	static const char sfx[] = "GMK";
	int i;

	for (i = 0; i < 3; i++) {
		long long unit = 1LL << (10 * (3 - i));

		if (v >= unit && v % unit == 0) {
			snprintf(buf, len, "%lld%c", v / unit, sfx[i]);
			return;
		}
	}
	snprintf(buf, len, "%lld", v);
}

static void opt_expect(const struct opt_def *d, char *buf, size_t len)
{
	char lo[32], hi[32];

	switch (d->type) {
	case T_UINT:
	case T_INT:
		snprintf(buf, len, "%lld..%lld", d->min, d->max);
		break;
	case T_SECS:
		snprintf(buf, len, "seconds %s 0 and at most %lld",
			 d->min < 0 ? ">=" : ">", d->max);
		break;
	case T_SIZE:
		opt_fmt_size(d->min, lo, sizeof(lo));
		opt_fmt_size(d->max, hi, sizeof(hi));
		snprintf(buf, len, "a size %s..%s (suffix K, M or G)", lo, hi);
		break;
	case T_ENUM:
		snprintf(buf, len, "%s", d->choices);
		break;
	case T_INFILE:
		snprintf(buf, len, "a readable file");
		break;
	case T_SPECIAL:
		d->expect(d, buf, len);
		break;
	default:
		snprintf(buf, len, "a non-empty value");
	}
}

/* The one message for a bad value. */
static void opt_bad_value(FILE *err, const struct opt_def *d,
			  const char *val)
{
	char label[64], expect[160];

	opt_expect(d, expect, sizeof(expect));
	fprintf(err, "fetchpool: %s: expected %s, got '%s'\n",
		opt_label(d, label, sizeof(label)), expect, val);
}

/* ---- one parser per type ----------------------------------------------- */

static int opt_parse_ll(const char *s, long long *v)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int opt_parse_secs(const struct opt_def *d, const char *s,
			  int64_t *ms)
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

static int opt_parse_size(const struct opt_def *d, const char *s,
			  int64_t *out)
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
	if (opt_parse_ll(num, &v) || v < 1 || v > d->max / mult ||
	    v * mult < d->min)
		return -1;
	*out = v * mult;
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

/* Open it now: a missing or unreadable file is a usage error before any
 * request, not a TLS failure on every job. */
static int opt_check_infile(const struct opt_def *d, const char *val,
			    FILE *err)
{
	char label[64];
	struct stat st;
	int fd, e = 0;

	if (!*val)
		return -1;
	fd = open(val, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		e = errno;
	else if (fstat(fd, &st))
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	if (fd >= 0)
		close(fd);
	if (!e)
		return 0;
	fprintf(err, "fetchpool: %s: cannot read '%s': %s\n",
		opt_label(d, label, sizeof(label)), val, strerror(e));
	return -2;
}

static int opt_list_add(struct fp_strlist *l, const char *val, FILE *err)
{
	const char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v) {
		fprintf(err, "fetchpool: out of memory\n");
		return -2;
	}
	v[l->n++] = val;
	l->v = v;
	return 0;
}

/* The row's own check of VAL: 0, or -1 with one line printed that names
 * the option, the reason and the value as the row shows it (a header's
 * secret or a proxy's password hidden, control characters as '?'). */
static int opt_checked(const struct opt_def *d, const char *val, FILE *err)
{
	const char *why = d->check ? d->check(val) : NULL;
	char label[64], *shown, *c;

	if (!why)
		return 0;
	shown = d->shown ? d->shown(val) : strdup(val);
	for (c = shown; c && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	fprintf(err, "fetchpool: %s: %s, got '%s'\n",
		opt_label(d, label, sizeof(label)), why,
		shown ? shown : "(redacted)");
	free(shown);
	return -1;
}

/* Store VAL into the row's target in BASE (a struct fp_opts). */
static int opt_set(void *base, const struct opt_def *d, const char *val,
		   FILE *err)
{
	void *p = (char *)base + d->at;
	long long n;

	switch (d->type) {
	case T_FLAG:
		*(int *)p = d->on;
		return 0;
	case T_UINT:
	case T_INT:
		if (opt_parse_ll(val, &n) || n < d->min || n > d->max)
			return -1;
		if (d->type == T_UINT)
			*(unsigned *)p = (unsigned)n;
		else
			*(int *)p = (int)n;
		return 0;
	case T_SECS:
		return opt_parse_secs(d, val, p);
	case T_SIZE:
		return opt_parse_size(d, val, p);
	case T_STRING:
		if (!*val)
			return -1;
		if (opt_checked(d, val, err))
			return -2;
		*(const char **)p = val;
		return 0;
	case T_INFILE:
		n = opt_check_infile(d, val, err);
		if (n)
			return (int)n;
		*(const char **)p = val;
		return 0;
	case T_ENUM:
		if (!opt_choice_ok(d->choices, val))
			return -1;
		*(const char **)p = val;
		return 0;
	case T_LIST:
		if (!*val)
			return -1;
		if (opt_checked(d, val, err))
			return -2;
		return opt_list_add(p, val, err);
	case T_SPECIAL:
		return d->parse(base, d, val, err);
	case T_ACTION:
		return 0;
	}
	return -1;
}

/* ---- values of their own kind ------------------------------------------ */

/* A proxy URL or host list goes to libcurl as given: no blanks or control
 * characters, which libcurl would cut at or misread. */
static const char *opt_check_proxy(const char *val)
{
	for (; *val; val++)
		if ((unsigned char)*val <= ' ' || *val == 0x7f)
			return "no blanks or control characters allowed";
	return NULL;
}

/* --netrc-file FILE, or ~/.netrc with --netrc: a file others may read
 * holds passwords for all to see, and one they may write can send ours
 * elsewhere. Refused before anything is fetched, as ssh does with its
 * keys. 0, or -1 with the line printed. */
static int opt_check_netrc(struct fp_opts *o, FILE *err)
{
	const char *home = getenv("HOME");
	struct stat st;
	int fd;

	if (!o->netrc_file && o->netrc) {
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());

			home = pw ? pw->pw_dir : NULL;
		}
		if (!home)
			return 0;
		if (asprintf(&o->netrc_path, "%s/.netrc", home) < 0) {
			o->netrc_path = NULL;
			fprintf(err, "fetchpool: out of memory\n");
			return -1;
		}
		if (access(o->netrc_path, F_OK))
			return 0; /* as curl: no file, no credentials */
		o->netrc_file = o->netrc_path;
	}
	if (!o->netrc_file)
		return 0;
	fd = open(o->netrc_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(err, "fetchpool: %s: cannot read '%s': %s\n",
			o->netrc_path ? "--netrc" : "--netrc-file",
			o->netrc_file, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)) {
		fprintf(err, "fetchpool: %s: '%s' is readable or writable by "
			     "group or others; refusing its passwords (chmod "
			     "600 it)\n",
			o->netrc_path ? "--netrc" : "--netrc-file",
			o->netrc_file);
		return -1;
	}
	return 0;
}

static void opt_expect_shard(const struct opt_def *d, char *buf, size_t len)
{
	snprintf(buf, len, "K/N with 0 <= K < N <= %lld (K may be an "
			   "environment variable such as "
			   "JOB_COMPLETION_INDEX)",
		 d->max);
}

/* K may be a number or the name of an environment variable holding one
 * (JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID), with or without '$'. */
static int opt_parse_shard(void *base, const struct opt_def *d,
			   const char *s, FILE *err)
{
	struct fp_opts *o = base;
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
	if (nv < 1 || nv > d->max || kv < 0 || kv >= nv)
		return -1;
	o->shard_k = (unsigned)kv;
	o->shard_n = (unsigned)nv;
	return 0;
}

static void opt_expect_date(const struct opt_def *d, char *buf, size_t len)
{
	snprintf(buf, len, "Y1:Y2 with %lld <= Y1 <= Y2 <= %lld", d->min,
		 d->max);
}

static int opt_parse_date(void *base, const struct opt_def *d,
			  const char *s, FILE *err)
{
	struct fp_opts *o = base;
	const char *colon = strchr(s, ':');
	char from[16];
	long long y1, y2;

	(void)err;
	if (!colon || (size_t)(colon - s) >= sizeof(from))
		return -1;
	memcpy(from, s, (size_t)(colon - s));
	from[colon - s] = '\0';
	if (!isdigit((unsigned char)from[0]) ||
	    !isdigit((unsigned char)colon[1]) || opt_parse_ll(from, &y1) ||
	    opt_parse_ll(colon + 1, &y2))
		return -1;
	if (y1 < d->min || y2 > d->max || y1 > y2)
		return -1;
	o->date_from = (int)y1;
	o->date_to = (int)y2;
	return 0;
}

static void opt_expect_day(const struct opt_def *d, char *buf, size_t len)
{
	(void)d;
	snprintf(buf, len, "a date YYYY-MM-DD");
}

/* A day as the catalog writes them: YYYY-MM-DD, month 01..12, day
 * 01..31. Kept as given: the catalog's dates compare as strings. */
static int opt_parse_day(void *base, const struct opt_def *d, const char *s,
			 FILE *err)
{
	int i, m, day;

	(void)err;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !isdigit((unsigned char)s[i]))
			return -1;
	if (s[10])
		return -1;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	day = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || day < 1 || day > 31)
		return -1;
	*(const char **)((char *)base + d->at) = s;
	return 0;
}

/* ---- --help ------------------------------------------------------------ */

#define HELP_WIDTH 79
#define HELP_COL 30 /* where descriptions start */

/* "-j, --max-conc N", "    --format json|xml". */
static void opt_head(const struct opt_def *d, char *buf, size_t len)
{
	const char *arg = d->type == T_ENUM ? d->choices : d->metavar;

	snprintf(buf, len, "%c%c%c --%s%s%s", d->shortname ? '-' : ' ',
		 d->shortname ? d->shortname : ' ', d->shortname ? ',' : ' ',
		 d->name, arg ? " " : "", arg ? arg : "");
}

/* The help phrase and what the row adds to it: "(default 4)", "(env
 * VAR)", "(repeatable)". */
static void opt_phrase(const struct opt_def *d, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s", d->help);
	const char *sep = " (";

	if (d->def && d->type != T_FLAG && n < len) {
		n += (size_t)snprintf(buf + n, len - n, "%sdefault %s", sep,
				      d->def);
		sep = ", ";
	}
	if (d->env && n < len) {
		n += (size_t)snprintf(buf + n, len - n, "%senv %s", sep,
				      d->env);
		sep = ", ";
	}
	if (d->type == T_LIST && n < len) {
		n += (size_t)snprintf(buf + n, len - n, "%srepeatable", sep);
		sep = ", ";
	}
	if (*sep == ',' && n < len)
		snprintf(buf + n, len - n, ")");
}

/* LEFT in a column, TEXT wrapped to HELP_WIDTH beside it. A line never
 * starts with '-', so that only option heads do (the completion and the
 * tests read them). */
static void opt_help_wrap(FILE *out, const char *left, const char *text)
{
	const size_t room = HELP_WIDTH - HELP_COL;
	int col = fprintf(out, "  %s", left);

	if (col + 2 > HELP_COL) {
		fputc('\n', out);
		col = 0;
	}
	while (*text) {
		size_t len = strlen(text), cut = len, i;

		if (len > room) {
			/* The last space that fits, not before a '-'. */
			cut = 0;
			for (i = 1; i <= room; i++)
				if (text[i] == ' ' && text[i + 1] != '-')
					cut = i;
			if (!cut)
				cut = strcspn(text, " ");
		}
		fprintf(out, "%*s%.*s\n", HELP_COL - col, "", (int)cut, text);
		col = 0;
		text += cut;
		while (*text == ' ')
			text++;
	}
}

/* "gdp", "books and gdp", "books, gdp and catalog". */
static void opt_cmd_names(unsigned cmds, char *buf, size_t len)
{
	unsigned i, k = 0, total = 0;
	size_t n = 0;

	for (i = 0; i < fp_ncommands; i++)
		total += !!(cmds & fp_commands[i].bit);
	buf[0] = '\0';
	for (i = 0; i < fp_ncommands && n < len; i++) {
		if (!(cmds & fp_commands[i].bit))
			continue;
		k++;
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
				      k == 1 ? "" : k == total ? " and " : ", ",
				      fp_commands[i].name);
	}
}

/* The groups of --help and the man page: the options of every command
 * first, then each other set of commands in table order. Calls FN for
 * each group's mask. */
static void opt_groups(void (*fn)(FILE *, unsigned), FILE *out)
{
	unsigned seen[NOPTS];
	size_t i, j, ngroups = 0;

	fn(out, FP_CMD_ALL);
	for (i = 0; i < NOPTS; i++) {
		unsigned m = opt_defs[i].cmds;

		if (!opt_defs[i].help || m == FP_CMD_ALL)
			continue;
		for (j = 0; j < ngroups && seen[j] != m; j++)
			;
		if (j < ngroups)
			continue;
		seen[ngroups++] = m;
		fn(out, m);
	}
}

static void opt_help_group(FILE *out, unsigned cmds)
{
	char names[128], left[64], phrase[256];
	size_t i;

	opt_cmd_names(cmds, names, sizeof(names));
	if (cmds == FP_CMD_ALL)
		fprintf(out, "\nOptions:\n");
	else
		fprintf(out, "\nOptions of %s only:\n", names);
	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];

		if (!d->help || d->cmds != cmds)
			continue;
		opt_head(d, left, sizeof(left));
		opt_phrase(d, phrase, sizeof(phrase));
		opt_help_wrap(out, left, phrase);
	}
}

void fp_opts_help(FILE *out)
{
	const struct fp_command *dflt = &fp_commands[0];
	char left[64];
	unsigned i;

	fprintf(out, "Usage: fetchpool [OPTIONS] %s\n", dflt->args);
	for (i = 0; i < fp_ncommands; i++)
		fprintf(out, "       fetchpool [OPTIONS] %s %s\n",
			fp_commands[i].name, fp_commands[i].args);
	fprintf(out, "\nCommands (options may stand before or after "
		     "them):\n");
	for (i = 0; i < fp_ncommands; i++) {
		snprintf(left, sizeof(left), "%s %s", fp_commands[i].name,
			 fp_commands[i].args);
		opt_help_wrap(out, left, fp_commands[i].summary);
	}
	opt_groups(opt_help_group, out);
	fprintf(out,
		"\nExit status: %d all done, %d a job failed or was "
		"cancelled or a line\n"
		"was invalid, %d usage error, %d output directory locked by "
		"another run,\n"
		"%d/%d stopped by SIGINT/SIGTERM.\n"
		"\nOption defaults come from a config file (the command line "
		"wins): --config\n"
		"FILE, else $" FP_CONFIG_ENV ", else "
		"$XDG_CONFIG_HOME/fetchpool/config\n"
		"(~/.config/fetchpool/config); --no-config reads none.\n"
		"\nThe list-file format, files, cron and sharding: "
		"man fetchpool\n",
		FP_EXIT_OK, FP_EXIT_FAILED, FP_EXIT_USAGE, FP_EXIT_LOCKED,
		fp_exit_signal(SIGINT), fp_exit_signal(SIGTERM));
}

/* ---- the man page ------------------------------------------------------ */

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

static void opt_man_group(FILE *out, unsigned cmds)
{
	char names[128], phrase[256], expect[160];
	size_t i;

	opt_cmd_names(cmds, names, sizeof(names));
	if (cmds == FP_CMD_ALL)
		fputs(".SS Common options\n", out);
	else
		fprintf(out, ".SS Options of %s only\n", names);
	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];
		const char *arg = d->type == T_ENUM ? d->choices : d->metavar;

		if (!d->help || d->cmds != cmds)
			continue;
		fputs(".TP\n", out);
		if (d->shortname)
			fprintf(out, "\\fB\\-%c\\fR, ", d->shortname);
		fputs("\\fB\\-\\-", out);
		opt_roff(out, d->name);
		fputs("\\fR", out);
		if (arg) {
			fputs(" \\fI", out);
			opt_roff(out, arg);
			fputs("\\fR", out);
		}
		fputs("\n", out);
		/* The help line is a phrase: a sentence here. */
		opt_phrase(d, phrase, sizeof(phrase));
		fprintf(out, "%c", toupper((unsigned char)phrase[0]));
		opt_roff(out, phrase + 1);
		fputs(".\n", out);
		if (d->detail) {
			opt_roff(out, d->detail);
			fputs("\n", out);
		}
		if (d->type >= T_UINT && d->type <= T_SIZE) {
			opt_expect(d, expect, sizeof(expect));
			fputs("Accepted: ", out);
			opt_roff(out, expect);
			fputs(".\n", out);
		}
	}
}

void fp_opts_man(FILE *out)
{
	fputs(".\\\" Made by fetchpool --help-man from the option table in\n"
	      ".\\\" cmd/options.c; edit that, not this.\n",
	      out);
	opt_groups(opt_man_group, out);
}

/* ---- the completion's word lists --------------------------------------- */

void fp_opts_completion(FILE *out)
{
	char names[128];
	size_t i, k;
	unsigned c;

	for (c = 0; c < fp_ncommands; c++)
		fprintf(out, "command %s %s\n", fp_commands[c].name,
			fp_commands[c].args);
	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];
		const char *arg = d->type == T_ENUM ? d->choices : d->metavar;
		size_t n = 0;

		if (!d->help)
			continue;
		names[0] = '\0';
		for (c = 0, k = 0; c < fp_ncommands && n < sizeof(names); c++)
			if (d->cmds & fp_commands[c].bit)
				n += (size_t)snprintf(names + n,
						      sizeof(names) - n,
						      "%s%s", k++ ? "," : "",
						      fp_commands[c].name);
		fprintf(out, "option --%s %s%c %s %s\n", d->name,
			d->shortname ? "-" : "", d->shortname ? d->shortname
							      : '-',
			arg ? arg : "-", names);
	}
}

/* ---- actions ----------------------------------------------------------- */

static void opt_act_help(FILE *out)
{
	fp_opts_help(out);
}

static void opt_act_version(FILE *out)
{
	fprintf(out, "fetchpool %s\n", PACKAGE_VERSION);
}

static void opt_act_man(FILE *out)
{
	fp_opts_man(out);
}

static void opt_act_completion(FILE *out)
{
	fp_opts_completion(out);
}

/* ---- parsing ----------------------------------------------------------- */

static const struct opt_def *opt_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (strlen(opt_defs[i].name) == len &&
		    !strncmp(opt_defs[i].name, name, len))
			return &opt_defs[i];
	return NULL;
}

/* The row's field back to its value before any option: the flag's unset
 * value, the default, or zero. */
static void opt_reset(struct fp_opts *o, const struct opt_def *d, FILE *err)
{
	void *p = (char *)o + d->at;

	switch (d->type) {
	case T_FLAG: {
		/* Rows sharing a field (progress, no-progress): the unset
		 * value is the one a row of the field names. */
		size_t i;

		*(int *)p = 0;
		for (i = 0; i < NOPTS; i++)
			if (opt_defs[i].type == T_FLAG &&
			    opt_defs[i].at == d->at && opt_defs[i].unset)
				*(int *)p = opt_defs[i].unset;
		break;
	}
	case T_UINT:
		*(unsigned *)p = 0;
		break;
	case T_INT:
		*(int *)p = 0;
		break;
	case T_SECS:
	case T_SIZE:
		*(int64_t *)p = 0;
		break;
	case T_STRING:
	case T_INFILE:
	case T_ENUM:
		*(const char **)p = NULL;
		break;
	case T_LIST:
		((struct fp_strlist *)p)->n = 0;
		break;
	case T_SPECIAL:
		/* Two numbers each: shard K/N, date Y1:Y2. */
		if (d->parse == opt_parse_shard)
			o->shard_k = o->shard_n = 0;
		else if (d->parse == opt_parse_date)
			o->date_from = o->date_to = 0;
		break;
	case T_ACTION:
		break;
	}
	if (d->def && opt_set(o, d, d->def, err)) {
		fprintf(err, "fetchpool: bad default for --%s\n", d->name);
		abort();
	}
}

/* Each row's default. A default the row refuses is a bug in the table:
 * the unit test parses every one. */
static void opt_defaults(struct fp_opts *o, FILE *err)
{
	size_t i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < NOPTS; i++)
		opt_reset(o, &opt_defs[i], err);
}

/* Each row's environment variable, over the config file's value. */
static int opt_env(struct fp_opts *o, FILE *err)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];
		const char *env = d->env ? getenv(d->env) : NULL;

		if (env && *env) {
			if (d->type == T_LIST)
				((struct fp_strlist *)((char *)o + d->at))->n =
					0;
			switch (opt_set(o, d, env, err)) {
			case 0:
				break;
			case -1:
				fprintf(err, "fetchpool: %s: ", d->env);
				opt_bad_value(err, d, env);
				return -1;
			default:
				return -1;
			}
		}
	}
	return 0;
}

/* ---- the config file ---------------------------------------------------- */

/* Whether rows A and B exclude each other (either names the other). */
static int opt_excludes(const struct opt_def *a, const struct opt_def *b)
{
	const struct opt_def *x = a, *y = b;
	int k;

	for (k = 0; k < 2; k++) {
		const char *p = x->conflicts;

		while (p && *p) {
			size_t len = strcspn(p, " ");

			if (opt_by_name(p, len) == y)
				return 1;
			p += len;
			p += *p == ' ';
		}
		x = b;
		y = a;
	}
	return 0;
}

struct opt_cfg {
	struct fp_opts *o;
	const struct fp_command *cmd;
	unsigned char given[NOPTS]; /* set by the config file */
};

/* fp_config_set_fn: one `name = value` line, through the row's parser. */
static int opt_cfg_set(void *ctx, const char *name, const char *value,
		       int in_section, char *why, size_t len)
{
	struct opt_cfg *c = ctx;
	const struct opt_def *d = opt_by_name(name, strlen(name));
	char label[64], label2[64], *msg = NULL;
	size_t i, msglen = 0;
	FILE *e;
	int r;

	if (!d || !d->help || d->type == T_ACTION) {
		snprintf(why, len, "unknown option '%s' (see fetchpool --help)",
			 name);
		return -1;
	}
	opt_label(d, label, sizeof(label));
	if (d->at == offsetof(struct fp_opts, config) ||
	    d->at == offsetof(struct fp_opts, no_config)) {
		snprintf(why, len, "%s cannot be set in a config file", label);
		return -1;
	}
	if (!value) /* a line of another command's section */
		return 0;
	if (!(d->cmds & c->cmd->bit)) {
		if (!in_section)
			return 0; /* for the commands that take it */
		snprintf(why, len, "%s: not an option of %s", label,
			 c->cmd->name);
		return -1;
	}
	i = (size_t)(d - opt_defs);
	if (d->type == T_FLAG) {
		if (!strcmp(value, "true")) {
			*(int *)((char *)c->o + d->at) = d->on;
		} else if (!strcmp(value, "false")) {
			opt_reset(c->o, d, stderr);
			c->given[i] = 0;
			return 0;
		} else {
			snprintf(why, len, "%s: expected true or false, got "
					   "'%s'",
				 label, value);
			return -1;
		}
	} else {
		if (d->type == T_LIST && !c->given[i])
			((struct fp_strlist *)((char *)c->o + d->at))->n = 0;
		e = open_memstream(&msg, &msglen);
		if (!e) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		r = opt_set(c->o, d, value, e);
		if (r == -1)
			opt_bad_value(e, d, value);
		fclose(e);
		if (r) {
			/* One line, without the program's prefix: the
			 * caller puts FILE:LINE there. */
			const char *m = msg;

			if (!strncmp(m, "fetchpool: ", 11))
				m += 11;
			snprintf(why, len, "%.*s", (int)strcspn(m, "\n"), m);
			free(msg);
			return -1;
		}
		free(msg);
	}
	c->given[i] = 1;
	for (i = 0; i < NOPTS; i++)
		if (c->given[i] && &opt_defs[i] != d &&
		    opt_excludes(d, &opt_defs[i])) {
			snprintf(why, len, "%s and %s exclude each other",
				 label,
				 opt_label(&opt_defs[i], label2,
					   sizeof(label2)));
			return -1;
		}
	return 0;
}

/* What the first pass over argv finds: --config, --no-config, whether an
 * action (--help) is asked for, and the command. Prints nothing: the
 * second pass reports every error. It scans a copy: getopt_long permutes
 * what it scans, and a broken command line ("FILE -j") permuted would
 * read differently the second time ("-j FILE"). */
static int opt_prescan(int argc, char **argv_in,
		       const struct option *longopts, const char *shortopts,
		       const char **config, int *no_config, int *action,
		       const struct fp_command **cmd)
{
	char **argv = malloc(((size_t)argc + 1) * sizeof(*argv));
	int c;

	*config = NULL;
	*no_config = 0;
	*action = 0;
	*cmd = &fp_commands[0];
	if (!argv)
		return -1;
	memcpy(argv, argv_in, ((size_t)argc + 1) * sizeof(*argv));
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	       -1) {
		const struct opt_def *d;

		if (c < OPT_LONG_BASE) {
			d = opt_by_short(c);
			if (d && d->type == T_ACTION)
				*action = 1;
			continue;
		}
		d = &opt_defs[c - OPT_LONG_BASE];
		if (d->type == T_ACTION)
			*action = 1;
		else if (d->at == offsetof(struct fp_opts, config) &&
			 d->type == T_STRING)
			*config = optarg;
		else if (d->at == offsetof(struct fp_opts, no_config) &&
			 d->type == T_FLAG)
			*no_config = 1;
	}
	*cmd = optind < argc ? fp_command_find(argv[optind]) : NULL;
	if (!*cmd)
		*cmd = &fp_commands[0];
	free(argv);
	return 0;
}

/* Read the config file into o (see cmd/cfgfile.h). 0 or -1 (printed). */
static int opt_config(struct fp_opts *o, const char *given,
		      const struct fp_command *cmd, struct opt_cfg *c,
		      FILE *err)
{
	int required, rc;
	char *path = fp_config_path(given, &required);

	c->o = o;
	c->cmd = cmd;
	if (!path)
		return 0;
	rc = fp_config_read(path, required, cmd->name, opt_cfg_set, c,
			    &o->config_text, err);
	free(path);
	return rc;
}

/* A command-line option overrides the config file's values of the
 * options it excludes (config quiet, command line -v: verbose). */
static void opt_config_yield(struct fp_opts *o, const unsigned char *given,
			     const struct opt_cfg *c, FILE *err)
{
	size_t i, j;

	for (i = 0; i < NOPTS; i++)
		for (j = 0; given[i] && j < NOPTS; j++)
			if (c->given[j] && !given[j] && i != j &&
			    opt_excludes(&opt_defs[i], &opt_defs[j]))
				opt_reset(o, &opt_defs[j], err);
}

/* Options the command does not take, and pairs that exclude each other:
 * one line naming them. */
static int opt_check_given(const struct fp_opts *o,
			   const unsigned char *given, FILE *err)
{
	char label[64], label2[64], names[128];
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];

		if (!given[i] || (d->cmds & o->cmd->bit))
			continue;
		opt_cmd_names(d->cmds, names, sizeof(names));
		fprintf(err, "fetchpool: %s: not an option of %s, only of "
			     "%s\n",
			opt_label(d, label, sizeof(label)), o->cmd->name,
			names);
		return -1;
	}
	for (i = 0; i < NOPTS; i++) {
		const char *p = opt_defs[i].conflicts;

		while (given[i] && p && *p) {
			size_t len = strcspn(p, " ");
			const struct opt_def *x = opt_by_name(p, len);

			if (x && given[x - opt_defs]) {
				fprintf(err, "fetchpool: %s and %s exclude "
					     "each other\n",
					opt_label(&opt_defs[i], label,
						  sizeof(label)),
					opt_label(x, label2, sizeof(label2)));
				return -1;
			}
			p += len;
			p += *p == ' ';
		}
	}
	return 0;
}

static void opt_getopt_tables(struct option *longopts, char *shortopts)
{
	size_t i, n = 0;

	/* Leading ':' makes getopt report missing values distinctly. */
	shortopts[n++] = ':';
	for (i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opt_defs[i];
		int has_arg = d->type != T_FLAG && d->type != T_ACTION;

		longopts[i] = (struct option){
			d->name, has_arg ? required_argument : no_argument,
			NULL, OPT_LONG_BASE + (int)i
		};
		if (d->shortname) {
			shortopts[n++] = d->shortname;
			if (has_arg)
				shortopts[n++] = ':';
		}
	}
	shortopts[n] = '\0';
	memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS]));
}

static const struct opt_def *opt_by_short(int c)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (opt_defs[i].shortname && opt_defs[i].shortname == c)
			return &opt_defs[i];
	return NULL;
}

enum fp_opts_result fp_opts_parse(struct fp_opts *o, int argc, char **argv,
				  FILE *out, FILE *err)
{
	struct option longopts[NOPTS + 1];
	unsigned char given[NOPTS] = { 0 };
	char shortopts[2 * NOPTS + 2];
	const struct fp_command *cmd;
	struct opt_cfg cfg;
	const char *config;
	int c, no_config, action;

	opt_defaults(o, err);
	opt_getopt_tables(longopts, shortopts);
	memset(&cfg, 0, sizeof(cfg));
	/* The config file comes before the command line, and which one
	 * (and which section) depends on it: a first pass finds out. With
	 * --help, a broken config file must not stand in the way. */
	if (opt_prescan(argc, argv, longopts, shortopts, &config, &no_config,
			&action, &cmd)) {
		fprintf(err, "fetchpool: out of memory\n");
		return FP_OPTS_USAGE;
	}
	if (!no_config && !action && opt_config(o, config, cmd, &cfg, err))
		return FP_OPTS_USAGE;
	if (opt_env(o, err))
		return FP_OPTS_USAGE;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	       -1) {
		const struct opt_def *d;
		size_t i;

		if (c == '?' && optopt >= OPT_LONG_BASE) {
			/* "--fail-fast=1": a value for a flag. */
			fprintf(err, "fetchpool: --%s takes no value\n",
				opt_defs[optopt - OPT_LONG_BASE].name);
			return FP_OPTS_USAGE;
		}
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
			char label[64], expect[160];

			d = optopt >= OPT_LONG_BASE
				    ? &opt_defs[optopt - OPT_LONG_BASE]
				    : opt_by_short(optopt);
			if (!d) /* not expected: getopt names the option */
				d = &opt_defs[0];
			opt_expect(d, expect, sizeof(expect));
			fprintf(err,
				"fetchpool: %s: expected %s, got nothing\n",
				opt_label(d, label, sizeof(label)), expect);
			return FP_OPTS_USAGE;
		}
		d = c >= OPT_LONG_BASE ? &opt_defs[c - OPT_LONG_BASE]
				       : opt_by_short(c);
		if (!d)
			return FP_OPTS_USAGE;
		if (d->type == T_ACTION) {
			d->action(out);
			return FP_OPTS_EXIT_OK;
		}
		i = (size_t)(d - opt_defs);
		/* The first value given replaces a list's default. */
		if (d->type == T_LIST && !given[i])
			((struct fp_strlist *)((char *)o + d->at))->n = 0;
		given[i] = 1;
		if (d->cmds == FP_CMD_GDP)
			o->gdp_opts_seen++;
		switch (opt_set(o, d, optarg, err)) {
		case 0:
			break;
		case -1:
			opt_bad_value(err, d, optarg);
			return FP_OPTS_USAGE;
		default:
			return FP_OPTS_USAGE;
		}
	}

	opt_config_yield(o, given, &cfg, err);
	o->args = argv + optind;
	o->nargs = argc - optind;
	if (o->nargs == 0) {
		fprintf(err, "fetchpool: missing FILE or command "
			     "(see fetchpool --help)\n");
		return FP_OPTS_USAGE;
	}
	/* A first word naming no command is the default command's. */
	cmd = fp_command_find(o->args[0]);
	if (cmd) {
		o->args++;
		o->nargs--;
	} else {
		cmd = &fp_commands[0];
	}
	o->cmd = cmd;
	o->command = cmd->name;
	o->mirror = o->mirrors.n ? o->mirrors.v[0] : NULL;
	if (opt_check_given(o, given, err) || opt_check_netrc(o, err))
		return FP_OPTS_USAGE;
	if (o->nargs < cmd->min_args ||
	    (cmd->max_args >= 0 && o->nargs > cmd->max_args)) {
		fprintf(err, "fetchpool: %s takes %s\n", cmd->name,
			cmd->args_rule);
		return FP_OPTS_USAGE;
	}
	return FP_OPTS_RUN;
}

void fp_opts_free(struct fp_opts *o)
{
	size_t i;

	free(o->config_text);
	o->config_text = NULL;
	for (i = 0; i < NOPTS; i++)
		if (opt_defs[i].type == T_LIST) {
			struct fp_strlist *l =
				(void *)((char *)o + opt_defs[i].at);

			free(l->v);
			l->v = NULL;
			l->n = 0;
		}
	free(o->netrc_path);
	o->netrc_path = NULL;
}
