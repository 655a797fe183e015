/* fixture-server: the project's HTTP/1.1 test server (see README.md).
 *
 * main() parses the command line, blocks SIGINT/SIGTERM in every thread
 * (the daemon's threads inherit the mask), starts the server, publishes the
 * port, and waits for a signal with sigwait(); then it stops the server,
 * which joins every thread and frees everything, and exits 0.
 */
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules.h"
#include "server.h"

#define MAIN_LOG_LIMIT 100000u

static void main_usage(FILE *out)
{
	fputs("usage: fixture-server [--root DIR] [--gutenberg DIR] "
	      "[--worldbank DIR]\n"
	      "                      [--port-file FILE] [--port N] "
	      "[--latency MS] [--no-validators] [--no-ranges]\n"
	      "                      [--rule 'PATH ACTIONS']... [--verbose]\n"
	      "Serves on 127.0.0.1 until SIGTERM or SIGINT. "
	      "See tests/server/README.md.\n",
	      out);
}

static int main_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Print "fixture-server: MESSAGE" on stderr; returns exit status 2. */
static int main_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fixture-server: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static int main_number(const char *s, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int main_dir(const char *d)
{
	struct stat st;

	return stat(d, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Write "PORT\n" to FILE.tmp, then rename: readers never see half a
 * file. */
static int main_port_file(const char *file, unsigned port)
{
	size_t n = strlen(file);
	char *tmp = malloc(n + 5);
	FILE *f;
	int ok;

	if (!tmp)
		return -1;
	memcpy(tmp, file, n);
	memcpy(tmp + n, ".tmp", 5);
	f = fopen(tmp, "w");
	ok = f != NULL;
	if (f) {
		ok = fprintf(f, "%u\n", port) > 0;
		ok = (fclose(f) == 0) && ok;
	}
	ok = ok && rename(tmp, file) == 0;
	if (!ok)
		remove(tmp);
	free(tmp);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	enum { OPT_ROOT = 256, OPT_GUTENBERG, OPT_WORLDBANK, OPT_PORT_FILE,
	       OPT_PORT, OPT_LATENCY, OPT_NO_VALIDATORS, OPT_NO_RANGES,
	       OPT_RULE, OPT_VERBOSE, OPT_METER, OPT_HELP };
	static const struct option opts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "gutenberg", required_argument, NULL, OPT_GUTENBERG },
		{ "worldbank", required_argument, NULL, OPT_WORLDBANK },
		{ "port-file", required_argument, NULL, OPT_PORT_FILE },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "latency", required_argument, NULL, OPT_LATENCY },
		{ "no-validators", no_argument, NULL, OPT_NO_VALIDATORS },
		{ "no-ranges", no_argument, NULL, OPT_NO_RANGES },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "meter", no_argument, NULL, OPT_METER },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct fsrv_config cfg = { .validators = true,
				   .log_limit = MAIN_LOG_LIMIT };
	struct fsrv_rules *rules = fsrv_rules_new();
	const char *port_file = NULL;
	unsigned long long v;
	struct fsrv *srv;
	char err[512];
	sigset_t sigs;
	int opt, sig, rc = 2;

	if (!rules)
		return main_fail("%s", "out of memory");
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_ROOT:
		case OPT_GUTENBERG:
		case OPT_WORLDBANK:
			if (main_dir(optarg) != 0) {
				rc = main_fail("not a directory: %s", optarg);
				goto out;
			}
			*(opt == OPT_ROOT	 ? &cfg.root
			  : opt == OPT_GUTENBERG ? &cfg.gutenberg
						 : &cfg.worldbank) = optarg;
			break;
		case OPT_PORT_FILE:
			port_file = optarg;
			break;
		case OPT_PORT:
			if (main_number(optarg, 65535, &v) != 0) {
				rc = main_fail("--port: expected 0..65535, "
					       "got '%s'", optarg);
				goto out;
			}
			cfg.port = (unsigned)v;
			break;
		case OPT_LATENCY:
			if (main_number(optarg, 86400000, &v) != 0) {
				rc = main_fail("--latency: expected "
					       "0..86400000 ms, got '%s'",
					       optarg);
				goto out;
			}
			cfg.latency_ms = v;
			break;
		case OPT_NO_VALIDATORS:
			cfg.validators = false;
			break;
		case OPT_NO_RANGES:
			cfg.no_ranges = true;
			break;
		case OPT_RULE:
			if (fsrv_rules_set_spec(rules, optarg, err,
						sizeof err) != 0) {
				rc = main_fail("--rule '%s': %s", optarg, err);
				goto out;
			}
			break;
		case OPT_VERBOSE:
			cfg.verbose = true;
			break;
		case OPT_METER:
			cfg.meter = true;
			break;
		case OPT_HELP:
			main_usage(stdout);
			rc = 0;
			goto out;
		default:
			main_usage(stderr);
			goto out;
		}
	}
	if (optind < argc) {
		rc = main_fail("unexpected argument '%s'", argv[optind]);
		goto out;
	}

	/* Signals: SIGPIPE ignored (a client that hangs up must not kill
	 * us; sendfile can raise it), SIGINT/SIGTERM taken by sigwait. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	/* fsrv_start takes the rules, also when it fails. */
	if (fsrv_start(&srv, &cfg, rules, err, sizeof err) != 0) {
		fprintf(stderr, "fixture-server: %s\n", err);
		return 1;
	}
	rules = NULL;
	if (port_file && main_port_file(port_file, fsrv_port(srv)) != 0) {
		fprintf(stderr, "fixture-server: cannot write %s\n",
			port_file);
		fsrv_stop(srv);
		return 1;
	}
	fprintf(stderr, "fixture-server: listening on http://127.0.0.1:%u\n",
		fsrv_port(srv));
	while (sigwait(&sigs, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	fsrv_stop(srv);
	return 0;
out:
	fsrv_rules_free(rules);
	return rc;
}
