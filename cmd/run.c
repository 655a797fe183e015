#include "run.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

struct fp_runctl fp_runctl = { PTHREAD_MUTEX_INITIALIZER, NULL, 0 };

void fp_runctl_signal(int signo)
{
	pthread_mutex_lock(&fp_runctl.mu);
	atomic_store(&fp_runctl.signo, signo);
	if (fp_runctl.engine)
		fp_engine_cancel(fp_runctl.engine, FP_STOP_SIGNAL);
	pthread_mutex_unlock(&fp_runctl.mu);
}

static void run_attach(struct fp_engine *e)
{
	pthread_mutex_lock(&fp_runctl.mu);
	fp_runctl.engine = e;
	/* A signal that came before the engine cancels it now. */
	if (e && atomic_load(&fp_runctl.signo))
		fp_engine_cancel(e, FP_STOP_SIGNAL);
	pthread_mutex_unlock(&fp_runctl.mu);
}

/* --limit-rate's one budget for every transfer of the run. It lives as
 * long as the process (handles of every command point at it), so it is
 * static: nothing to free. */
static struct fp_ratelimit run_ratelimit;

void fp_run_engine_config(struct fp_run *r, struct fp_engine_config *c)
{
	const struct fp_opts *o = r->o;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->max_conc = o->max_conc;
	c->max_per_host = o->max_per_host;
	c->deadline_ms = o->deadline_ms;
	c->fail_fast = o->fail_fast;
	c->delay_ms = o->delay_ms;
	c->retries = o->retries;
	c->dirfd = -1;
	r->tracer.out = r->out;
	r->tracer.max_attempts = o->retries + 1;
	c->trace = o->verbose ? fp_run_trace : NULL;
	c->trace_ctx = &r->tracer;
	c->xfer.user_agent = o->user_agent;
	c->xfer.timeout_ms = o->timeout_ms;
	c->xfer.connect_timeout_ms = o->connect_timeout_ms;
	c->xfer.stall_timeout_ms = o->stall_timeout_ms;
	c->xfer.insecure = o->insecure;
	c->xfer.cacert = o->cacert;
	c->xfer.max_size = o->max_size;
	c->xfer.headers = o->headers.v;
	c->xfer.nheaders = o->headers.n;
	c->xfer.proxy = o->proxy;
	c->xfer.noproxy = o->noproxy;
	c->xfer.netrc_file = o->netrc_file;
	if (o->limit_rate > 0) {
		fp_ratelimit_init(&run_ratelimit, o->limit_rate);
		c->xfer.ratelimit = &run_ratelimit;
	}
	/* -v says what goes with every request, secrets hidden. */
	for (i = 0; i < o->headers.n; i++) {
		char *h = fp_header_redact(o->headers.v[i]);

		fp_out_verbose(r->out, "request header %s", h ? h : "?");
		free(h);
	}
	if (o->proxy) {
		char *p = fp_url_redact(o->proxy);

		fp_out_verbose(r->out, "proxy %s%s%s", p ? p : "?",
			       o->noproxy ? ", not for " : "",
			       o->noproxy ? o->noproxy : "");
		free(p);
	}
	if (o->netrc_file)
		fp_out_verbose(r->out, "credentials from '%s'",
			       o->netrc_file);
	if (o->limit_rate > 0)
		fp_out_verbose(r->out, "rate limit %lld bytes/s for the run",
			       (long long)o->limit_rate);
}

static int run_progress_start(struct fp_run *r, const char *unit)
{
	struct fp_out *out = r->out;
	int err_tty = isatty(fileno(out->err));
	const char *no_colour = getenv("NO_COLOR");
	enum fp_progress_mode mode =
		fp_progress_pick(r->o->progress, r->o->quiet, err_tty,
				 getenv("TERM"));

	/* https://no-color.org: set and not empty means no colour. */
	return fp_progress_create(&out->progress, mode, out->err, unit,
				  err_tty && isatty(fileno(out->out)),
				  !(no_colour && *no_colour));
}

int fp_run_start(struct fp_run *r, const struct fp_engine_config *c,
		 const char *unit)
{
	int rc = run_progress_start(r, unit);

	if (rc)
		return rc;
	rc = fp_engine_create(&r->engine, c);
	if (rc)
		return rc;
	run_attach(r->engine);
	return FP_OK;
}

int64_t fp_run_tick(void *ctx, const struct fp_engine_stats *st,
		    int64_t now)
{
	struct fp_run *r = ctx;
	struct fp_progress *p = r->out->progress;

	if (!p)
		return -1;
	fp_progress_update(p, st->done, st->submitted, st->total_known,
			   st->rx_bytes, st->in_flight);
	fp_progress_tick(p, now);
	return fp_progress_next_ms(p);
}

void fp_run_end(struct fp_run *r)
{
	run_attach(NULL);
	fp_progress_finish(r->out->progress);
	fp_progress_destroy(r->out->progress);
	r->out->progress = NULL;
}

int fp_run_mkdirs(const char *path, mode_t mode)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, mode) && errno != EEXIST)
			return -1;
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

const char *fp_run_stop_note(struct fp_run *r)
{
	switch (r->engine ? fp_engine_stop_reason(r->engine) : FP_STOP_NONE) {
	case FP_STOP_DEADLINE:
		return "; deadline reached";
	case FP_STOP_FAIL_FAST:
		return "; stopped by --fail-fast";
	default:
		return atomic_load(&fp_runctl.signo) ? "; interrupted" : "";
	}
}

void fp_run_trace(void *ctx, const struct fp_fetch_attempt *a)
{
	struct fp_run_tracer *t = ctx;
	const struct fp_xfer_res *r = a->res;
	char status[96], cause[sizeof(r->error) + 4] = "";

	/* Reason phrases and errors may quote the server: no control
	 * characters reach the terminal. */
	if (r->status)
		snprintf(status, sizeof(status), "%ld %s", r->status,
			 r->reason);
	else
		snprintf(status, sizeof(status), "no answer");
	if (r->outcome != FP_XFER_DONE && r->error[0])
		snprintf(cause, sizeof(cause), " (%s)", r->error);
	fp_out_sanitize(status);
	fp_out_sanitize(cause);
	fp_out_verbose(t->out,
		       "GET %s -> %s, attempt %u/%u: dns %.3fs connect %.3fs "
		       "tls %.3fs first-byte %.3fs total %.3fs, %lld bytes%s",
		       a->url, status, a->attempt, t->max_attempts, r->t_dns,
		       r->t_connect, r->t_tls, r->t_first, r->t_total,
		       (long long)r->bytes, cause);
	if (a->wait_ms >= 0) {
		char why[sizeof(r->error)];

		snprintf(why, sizeof(why), "%s",
			 a->why && a->why[0] ? a->why : "transient failure");
		fp_out_sanitize(why);
		fp_out_verbose(t->out, "retry %s in %.1fs: %s", a->url,
			       (double)a->wait_ms / 1000.0, why);
	}
}

int fp_run_shard_keeps(const struct fp_opts *o, const char *key)
{
	if (!o->shard_n)
		return 1;
	return fp_fnv1a64_str(key) % o->shard_n == o->shard_k;
}

int fp_run_exit_status(int any_failure)
{
	int signo = atomic_load(&fp_runctl.signo);

	if (signo)
		return fp_exit_signal(signo);
	return any_failure ? FP_EXIT_FAILED : FP_EXIT_OK;
}
