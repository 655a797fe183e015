/* Request statistics: bounded log, in-flight counter, connections. */
#include "stats.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct stats_entry {
	char *method, *path, *query;
	char *range, *if_range, *ims, *inm, *ua;
	char **hdrs;    /* name, value, name, value, ... */
	size_t nhdrs;
	int status;
	unsigned conn;
	int64_t t_ms;   /* arrival, ms since the collector was made */
	int64_t end_ms; /* end of the response, -1 while in flight */
};

struct fsrv_stats {
	pthread_mutex_t lock;
	uint64_t gen;         /* bumped by reset: stale tickets are ignored */
	size_t max_log;
	struct stats_entry *log;
	size_t n, cap;
	uint64_t total;       /* requests since reset, logged or not */
	unsigned conns;       /* numbered connections since reset */
	uint64_t accepted;    /* TCP connections accepted since reset */
	long in_flight, peak;
	int64_t t0_ms;
	uint64_t *sent;       /* body bytes per 100 ms (--meter) */
	size_t nsent;
};

static int64_t stats_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct fsrv_stats *fsrv_stats_new(size_t max_log)
{
	struct fsrv_stats *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		return NULL;
	}
	s->max_log = max_log;
	s->gen = 1;
	s->t0_ms = stats_now_ms();
	return s;
}

static void stats_entry_free(struct stats_entry *e)
{
	free(e->method);
	free(e->path);
	free(e->query);
	for (size_t i = 0; i < 2 * e->nhdrs; i++)
		free(e->hdrs[i]);
	free(e->hdrs);
	free(e->range);
	free(e->if_range);
	free(e->ims);
	free(e->inm);
	free(e->ua);
}

/* Caller holds the lock. */
static void stats_clear_log(struct fsrv_stats *s)
{
	for (size_t i = 0; i < s->n; i++)
		stats_entry_free(&s->log[i]);
	free(s->log);
	s->log = NULL;
	s->n = s->cap = 0;
	free(s->sent);
	s->sent = NULL;
	s->nsent = 0;
}

void fsrv_stats_free(struct fsrv_stats *s)
{
	if (!s)
		return;
	stats_clear_log(s);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void fsrv_stats_accepted(struct fsrv_stats *s)
{
	pthread_mutex_lock(&s->lock);
	s->accepted++;
	pthread_mutex_unlock(&s->lock);
}

/* strdup that keeps NULL; sets *oom when a copy fails. */
static char *stats_dup(const char *v, int *oom)
{
	char *c;

	if (!v)
		return NULL;
	c = strdup(v);
	if (!c)
		*oom = 1;
	return c;
}

void fsrv_stats_begin(struct fsrv_stats *s, struct fsrv_conn *conn,
		      const struct fsrv_req_info *info, struct fsrv_ticket *t)
{
	struct stats_entry e = { 0 };
	int oom = 0;

	/* Copy outside the lock: the strings are the caller's. */
	e.method = stats_dup(info->method, &oom);
	e.path = stats_dup(info->path, &oom);
	e.query = stats_dup(info->query, &oom);
	e.range = stats_dup(info->range, &oom);
	e.if_range = stats_dup(info->if_range, &oom);
	e.ims = stats_dup(info->if_modified_since, &oom);
	e.inm = stats_dup(info->if_none_match, &oom);
	e.ua = stats_dup(info->user_agent, &oom);
	if (info->nhdrs) {
		e.hdrs = calloc(2 * info->nhdrs, sizeof *e.hdrs);
		if (!e.hdrs)
			oom = 1;
		else
			e.nhdrs = info->nhdrs;
		for (size_t i = 0; e.hdrs && i < info->nhdrs; i++) {
			e.hdrs[2 * i] = stats_dup(info->hdr_names[i], &oom);
			e.hdrs[2 * i + 1] =
				stats_dup(info->hdr_values[i], &oom);
		}
	}
	e.end_ms = -1;

	pthread_mutex_lock(&s->lock);
	t->gen = s->gen;
	t->index = SIZE_MAX;
	t->active = 1;
	s->total++;
	if (++s->in_flight > s->peak)
		s->peak = s->in_flight;
	if (conn->gen != s->gen || conn->num == 0) {
		conn->gen = s->gen;
		conn->num = ++s->conns;
	}
	e.conn = conn->num;
	e.t_ms = stats_now_ms() - s->t0_ms;
	if (!oom && s->n < s->max_log) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 256;
			struct stats_entry *v;

			if (cap > s->max_log)
				cap = s->max_log;
			v = realloc(s->log, cap * sizeof *v);
			if (v) {
				s->log = v;
				s->cap = cap;
			}
		}
		if (s->n < s->cap) {
			t->index = s->n;
			s->log[s->n++] = e;
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (t->index == SIZE_MAX)
		stats_entry_free(&e);
}

void fsrv_stats_status(struct fsrv_stats *s, const struct fsrv_ticket *t,
		       int status)
{
	pthread_mutex_lock(&s->lock);
	if (t->active && t->gen == s->gen && t->index < s->n)
		s->log[t->index].status = status;
	pthread_mutex_unlock(&s->lock);
}

void fsrv_stats_end(struct fsrv_stats *s, struct fsrv_ticket *t)
{
	pthread_mutex_lock(&s->lock);
	if (t->active) {
		t->active = 0;
		s->in_flight--;
		if (t->gen == s->gen && t->index < s->n)
			s->log[t->index].end_ms = stats_now_ms() - s->t0_ms;
	}
	pthread_mutex_unlock(&s->lock);
}

void fsrv_stats_reset(struct fsrv_stats *s)
{
	pthread_mutex_lock(&s->lock);
	stats_clear_log(s);
	s->gen++;
	s->total = 0;
	s->conns = 0;
	s->accepted = 0;
	s->peak = s->in_flight;
	pthread_mutex_unlock(&s->lock);
}

void fsrv_stats_sent(struct fsrv_stats *s, uint64_t n)
{
	pthread_mutex_lock(&s->lock);
	int64_t ms = stats_now_ms() - s->t0_ms;
	size_t b = ms > 0 ? (size_t)(ms / 100) : 0;

	if (b >= s->nsent) {
		uint64_t *v = realloc(s->sent, (b + 1) * sizeof *v);

		if (v) {
			memset(v + s->nsent, 0, (b + 1 - s->nsent) * sizeof *v);
			s->sent = v;
			s->nsent = b + 1;
		}
	}
	if (b < s->nsent)
		s->sent[b] += n;
	pthread_mutex_unlock(&s->lock);
}

/* "headers": {"name": "value", ...}, names lower-cased, repeats joined. */
static int stats_add_headers(cJSON *o, const struct stats_entry *e)
{
	cJSON *h = cJSON_AddObjectToObject(o, "headers");

	for (size_t i = 0; h && i < e->nhdrs; i++) {
		const char *name = e->hdrs[2 * i], *val = e->hdrs[2 * i + 1];
		char key[256];
		size_t k;
		cJSON *old;

		if (!name)
			continue;
		for (k = 0; name[k] && k + 1 < sizeof key; k++)
			key[k] = (char)(name[k] >= 'A' && name[k] <= 'Z'
						? name[k] | 0x20
						: name[k]);
		key[k] = '\0';
		old = cJSON_GetObjectItemCaseSensitive(h, key);
		if (old && cJSON_IsString(old)) {
			size_t n = strlen(old->valuestring) +
				   strlen(val ? val : "") + 3;
			char *j = malloc(n);

			if (!j)
				return 0;
			snprintf(j, n, "%s, %s", old->valuestring,
				 val ? val : "");
			cJSON_ReplaceItemInObjectCaseSensitive(
				h, key, cJSON_CreateString(j));
			free(j);
		} else if (!cJSON_AddStringToObject(h, key, val ? val : "")) {
			return 0;
		}
	}
	return h != NULL;
}

/* Adds KEY as a string, or null for NULL. False when out of memory. */
static int stats_add_str(cJSON *o, const char *key, const char *v)
{
	return (v ? cJSON_AddStringToObject(o, key, v)
		  : cJSON_AddNullToObject(o, key)) != NULL;
}

static cJSON *stats_entry_json(const struct stats_entry *e)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !stats_add_str(o, "method", e->method) ||
	    !stats_add_str(o, "path", e->path) ||
	    !stats_add_str(o, "query", e->query) ||
	    !stats_add_str(o, "range", e->range) ||
	    !stats_add_str(o, "if_range", e->if_range) ||
	    !stats_add_str(o, "if_modified_since", e->ims) ||
	    !stats_add_str(o, "if_none_match", e->inm) ||
	    !stats_add_str(o, "user_agent", e->ua) ||
	    !stats_add_headers(o, e) ||
	    !cJSON_AddNumberToObject(o, "status", e->status) ||
	    !cJSON_AddNumberToObject(o, "conn", e->conn) ||
	    !cJSON_AddNumberToObject(o, "t_ms", (double)e->t_ms) ||
	    !(e->end_ms >= 0
		      ? cJSON_AddNumberToObject(o, "end_ms", (double)e->end_ms)
		      : cJSON_AddNullToObject(o, "end_ms"))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

char *fsrv_stats_json(struct fsrv_stats *s)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *reqs = cJSON_AddArrayToObject(root, "requests");
	char *out = NULL;
	int ok = reqs != NULL;

	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; ok && i < s->n; i++) {
		cJSON *e = stats_entry_json(&s->log[i]);

		ok = e && cJSON_AddItemToArray(reqs, e);
	}
	ok = ok &&
	     cJSON_AddNumberToObject(root, "peak_in_flight",
				     (double)s->peak) &&
	     cJSON_AddNumberToObject(root, "in_flight",
				     (double)s->in_flight) &&
	     cJSON_AddNumberToObject(root, "connections", s->conns) &&
	     cJSON_AddNumberToObject(root, "accepted", (double)s->accepted) &&
	     cJSON_AddNumberToObject(root, "total_requests",
				     (double)s->total) &&
	     cJSON_AddNumberToObject(root, "logged", (double)s->n) &&
	     cJSON_AddNumberToObject(root, "log_limit", (double)s->max_log);
	cJSON *sent = ok ? cJSON_AddArrayToObject(root, "sent_100ms") : NULL;
	ok = sent != NULL;
	for (size_t i = 0; ok && i < s->nsent; i++)
		ok = cJSON_AddItemToArray(
			sent, cJSON_CreateNumber((double)s->sent[i]));
	pthread_mutex_unlock(&s->lock);
	if (ok)
		out = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return out;
}
