#include "hostgate.h"
#include "cancel.h"
#include "error.h"
#include "timeutil.h"
#include "url.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct gate_host {
	struct gate_host *next;
	int64_t next_start_ms;
	char name[];
};

struct fp_hostgate {
	pthread_mutex_t mu;
	int64_t delay_ms;
	struct gate_host *hosts; /* few hosts per run: a list is enough */
};

int fp_hostgate_create(struct fp_hostgate **out, int64_t delay_ms)
{
	struct fp_hostgate *g;

	*out = NULL;
	if (delay_ms <= 0)
		return FP_EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return FP_ENOMEM;
	pthread_mutex_init(&g->mu, NULL);
	g->delay_ms = delay_ms;
	*out = g;
	return FP_OK;
}

int fp_hostgate_wait(struct fp_hostgate *g, const char *url,
		     struct fp_cancel *tok)
{
	/* A URL libcurl cannot parse (or no memory for its key) shares the
	 * "" gate: spaced like any other host rather than not at all. */
	char *key = fp_url_host_key(url);
	const char *host = key ? key : "";
	struct gate_host *h;
	int64_t now, slot;

	pthread_mutex_lock(&g->mu);
	for (h = g->hosts; h; h = h->next)
		if (!strcmp(h->name, host))
			break;
	if (!h) {
		h = calloc(1, sizeof(*h) + strlen(host) + 1);
		if (!h) {
			pthread_mutex_unlock(&g->mu);
			free(key);
			return FP_OK; /* no memory to be polite with: go */
		}
		strcpy(h->name, host);
		h->next = g->hosts;
		g->hosts = h;
	}
	now = fp_now_ms();
	slot = h->next_start_ms > now ? h->next_start_ms : now;
	h->next_start_ms = slot + g->delay_ms;
	pthread_mutex_unlock(&g->mu);
	free(key);
	return slot > now ? fp_cancel_sleep(tok, slot - now) : FP_OK;
}

void fp_hostgate_destroy(struct fp_hostgate *g)
{
	struct gate_host *h, *next;

	if (!g)
		return;
	for (h = g->hosts; h; h = next) {
		next = h->next;
		free(h);
	}
	pthread_mutex_destroy(&g->mu);
	free(g);
}
