#include "run.h"

#include <signal.h>
#include <stdio.h>

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

void fp_run_trace(void *ctx, const struct fp_fetch_attempt *a)
{
	struct fp_out *out = ctx;
	const struct fp_xfer_res *r = a->res;

	if (r->status)
		fp_out_verbose(out,
			       "GET %s -> %ld attempt %u: dns %.3fs connect "
			       "%.3fs tls %.3fs first-byte %.3fs total %.3fs, "
			       "%lld bytes",
			       a->url, r->status, a->attempt, r->t_dns,
			       r->t_connect, r->t_tls, r->t_first, r->t_total,
			       (long long)r->bytes);
	else
		fp_out_verbose(out, "GET %s -> no answer, attempt %u: %s",
			       a->url, a->attempt, r->error);
	if (a->wait_ms >= 0)
		fp_out_verbose(out, "retry %s in %.1fs: %s", a->url,
			       (double)a->wait_ms / 1000.0,
			       a->why ? a->why : "transient failure");
}

int fp_run_exit_status(int any_failure)
{
	int signo = atomic_load(&fp_runctl.signo);

	if (signo)
		return 128 + signo;
	return any_failure ? 1 : 0;
}
