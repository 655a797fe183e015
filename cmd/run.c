#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "progress.h"

struct fp_runctl fp_runctl = { PTHREAD_MUTEX_INITIALIZER, NULL, 0 };

void fp_runctl_attach(struct fp_sched *s)
{
	pthread_mutex_lock(&fp_runctl.mu);
	fp_runctl.sched = s;
	if (atomic_load(&fp_runctl.signo))
		fp_sched_cancel_all(s);
	pthread_mutex_unlock(&fp_runctl.mu);
}

void fp_runctl_detach(void)
{
	pthread_mutex_lock(&fp_runctl.mu);
	fp_runctl.sched = NULL;
	pthread_mutex_unlock(&fp_runctl.mu);
}

struct fp_run_worker *fp_run_worker_new(struct fp_share *sh,
					const struct fp_xfer_config *c,
					size_t body_cap)
{
	struct fp_run_worker *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	if (fp_xfer_create(&w->x, sh, c)) {
		free(w);
		return NULL;
	}
	fp_buf_init(&w->body, body_cap);
	return w;
}

void fp_run_worker_free(struct fp_run_worker *w)
{
	if (!w)
		return;
	fp_xfer_destroy(w->x);
	fp_buf_free(&w->body);
	free(w);
}

void fp_run_xfer_config(const struct fp_opts *o, struct fp_xfer_config *c)
{
	c->user_agent = o->user_agent;
	c->timeout_ms = o->timeout_ms;
	c->connect_timeout_ms = o->connect_timeout_ms;
	c->stall_timeout_ms = o->stall_timeout_ms;
	c->insecure = o->insecure;
	c->cacert = o->cacert;
	c->max_size = o->max_size;
}

void fp_run_tracer_init(struct fp_run_tracer *t, const struct fp_opts *o,
			struct fp_out *out)
{
	t->out = out;
	t->max_attempts = o->retries + 1;
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

int fp_run_progress_start(const struct fp_opts *o, struct fp_out *out,
			  struct fp_sem *sem, const char *unit)
{
	int err_tty = isatty(fileno(out->err));
	const char *no_colour = getenv("NO_COLOR");
	enum fp_progress_mode mode =
		fp_progress_pick(o->progress, o->quiet, err_tty,
				 getenv("TERM"));

	/* https://no-color.org: set and not empty means no colour. */
	return fp_progress_create(&out->progress, mode, out->err, unit, sem,
				  err_tty && isatty(fileno(out->out)),
				  !(no_colour && *no_colour));
}

void fp_run_progress_stop(struct fp_out *out)
{
	fp_progress_finish(out->progress);
	fp_progress_destroy(out->progress);
	out->progress = NULL;
}

int fp_run_shard_keeps(const struct fp_opts *o, const char *key)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a 64 offset basis */

	if (!o->shard_n)
		return 1;
	while (*key)
		h = (h ^ (unsigned char)*key++) * 1099511628211ULL;
	return h % o->shard_n == o->shard_k;
}

int fp_run_exit_status(int any_failure)
{
	int signo = atomic_load(&fp_runctl.signo);

	if (signo)
		return 128 + signo;
	return any_failure ? 1 : 0;
}
