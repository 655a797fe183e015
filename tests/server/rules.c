/* Fault rule table and action parser. */
#include "rules.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Upper bounds keep arithmetic on the values free of overflow. */
#define RULES_MAX_MS 86400000ULL             /* one day */
#define RULES_MAX_NUM 0x7fffffffffffffffULL  /* bytes, bytes per second */

struct rules_rule {
	char *path;
	struct fsrv_action *acts;
	size_t n;
	size_t next; /* index of the action the next request takes */
};

struct fsrv_rules {
	pthread_mutex_t lock;
	struct rules_rule *v;
	size_t n, cap;
};

static bool rules_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse a decimal number filling all of S..S+LEN, at most MAX. */
static int rules_number(const char *s, size_t len, uint64_t max,
			uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static bool rules_word(const char *s, size_t len, const char *w)
{
	return strlen(w) == len && memcmp(s, w, len) == 0;
}

/* "key=NUMBER" with KEY=KEY: sets *v. 1 if the key matched and the number
 * is good, -1 if the key matched and the number is bad, 0 otherwise. */
static int rules_keyed(const char *s, size_t len, const char *key,
		       uint64_t max, uint64_t *v)
{
	size_t kl = strlen(key);

	if (len <= kl || memcmp(s, key, kl) != 0 || s[kl] != '=')
		return 0;
	return rules_number(s + kl + 1, len - kl - 1, max, v) == 0 ? 1 : -1;
}

static int rules_status(const char *s, size_t len, struct fsrv_action *out,
			char *err, size_t errlen)
{
	uint64_t code;

	if (len < 3 || rules_number(s, 3, 999, &code) != 0 || code < 200 ||
	    code > 599) {
		snprintf(err, errlen, "bad status in action '%.*s' (200..599)",
			 (int)len, s);
		return -1;
	}
	out->kind = FSRV_ACT_STATUS;
	out->status = (unsigned)code;
	if (len == 3)
		return 0;
	if (s[3] != '+' && !rules_blank(s[3]))
		goto bad;
	const char *p = s + 4;
	size_t pl = len - 4;
	int r;

	if ((r = rules_keyed(p, pl, "ra", RULES_MAX_NUM, &out->retry_after)))
		out->ra = FSRV_RA_SECONDS;
	else if ((r = rules_keyed(p, pl, "radate", RULES_MAX_MS,
				  &out->retry_after)))
		out->ra = FSRV_RA_DATE;
	if (r == 1)
		return 0;
bad:
	snprintf(err, errlen,
		 "bad action '%.*s' (NNN, NNN+ra=SEC or NNN+radate=SEC)",
		 (int)len, s);
	return -1;
}

int fsrv_action_parse(const char *s, size_t len, struct fsrv_action *out,
		      char *err, size_t errlen)
{
	int r;

	memset(out, 0, sizeof *out);
	while (len > 0 && rules_blank(*s))
		s++, len--;
	while (len > 0 && rules_blank(s[len - 1]))
		len--;
	if (len == 0) {
		snprintf(err, errlen, "empty action");
		return -1;
	}
	if (rules_word(s, len, "ok")) {
		out->kind = FSRV_ACT_OK;
		return 0;
	}
	if (rules_word(s, len, "reset")) {
		out->kind = FSRV_ACT_RESET;
		return 0;
	}
	if (rules_word(s, len, "endless")) {
		out->kind = FSRV_ACT_ENDLESS;
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9')
		return rules_status(s, len, out, err, errlen);
	if (len > 9 && memcmp(s, "redirect=", 9) == 0) {
		out->kind = FSRV_ACT_REDIRECT;
		out->url = strndup(s + 9, len - 9);
		if (!out->url) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	}

	static const struct {
		const char *key;
		enum fsrv_act_kind kind;
		uint64_t min, max;
	} keyed[] = {
		{ "delay", FSRV_ACT_DELAY, 0, RULES_MAX_MS },
		{ "stall", FSRV_ACT_STALL, 0, RULES_MAX_MS },
		{ "truncate", FSRV_ACT_TRUNCATE, 0, RULES_MAX_NUM },
		{ "drip", FSRV_ACT_DRIP, 1, RULES_MAX_NUM },
	};
	for (size_t i = 0; i < sizeof keyed / sizeof keyed[0]; i++) {
		r = rules_keyed(s, len, keyed[i].key, keyed[i].max, &out->arg);
		if (r == 0)
			continue;
		if (r < 0 || out->arg < keyed[i].min) {
			snprintf(err, errlen,
				 "bad number in action '%.*s' (%llu..%llu)",
				 (int)len, s,
				 (unsigned long long)keyed[i].min,
				 (unsigned long long)keyed[i].max);
			return -1;
		}
		out->kind = keyed[i].kind;
		return 0;
	}
	snprintf(err, errlen,
		 "unknown action '%.*s' (ok, NNN, NNN+ra=SEC, NNN+radate=SEC, "
		 "delay=MS, reset, truncate=N, stall=MS, drip=BPS, endless, "
		 "redirect=URL)",
		 (int)len, s);
	return -1;
}

void fsrv_action_clear(struct fsrv_action *a)
{
	free(a->url);
	memset(a, 0, sizeof *a);
}

struct fsrv_rules *fsrv_rules_new(void)
{
	struct fsrv_rules *r = calloc(1, sizeof *r);

	if (r && pthread_mutex_init(&r->lock, NULL) != 0) {
		free(r);
		return NULL;
	}
	return r;
}

static void rules_rule_free(struct rules_rule *rule)
{
	for (size_t i = 0; i < rule->n; i++)
		fsrv_action_clear(&rule->acts[i]);
	free(rule->acts);
	free(rule->path);
}

/* Caller holds the lock. */
static void rules_clear_locked(struct fsrv_rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		rules_rule_free(&r->v[i]);
	r->n = 0;
}

void fsrv_rules_free(struct fsrv_rules *r)
{
	if (!r)
		return;
	rules_clear_locked(r);
	free(r->v);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void fsrv_rules_clear(struct fsrv_rules *r)
{
	pthread_mutex_lock(&r->lock);
	rules_clear_locked(r);
	pthread_mutex_unlock(&r->lock);
}

/* Caller holds the lock. */
static struct rules_rule *rules_find(struct fsrv_rules *r, const char *path)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].path, path) == 0)
			return &r->v[i];
	return NULL;
}

/* Parse the whole ACTIONS list into NEW (unlocked: parsing allocates). */
static int rules_parse_list(const char *actions, struct rules_rule *nr,
			    char *err, size_t errlen)
{
	size_t cap = 1;

	for (const char *p = actions; *p; p++)
		cap += *p == ',';
	nr->acts = calloc(cap, sizeof *nr->acts);
	if (!nr->acts) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (const char *p = actions;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (fsrv_action_parse(p, len, &nr->acts[nr->n], err,
				      errlen) != 0)
			return -1;
		nr->n++;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

int fsrv_rules_set(struct fsrv_rules *r, const char *path,
		   const char *actions, char *err, size_t errlen)
{
	struct rules_rule nr = { 0 };
	const char *a = actions;

	if (!path || path[0] != '/') {
		snprintf(err, errlen, "rule path must start with '/'");
		return -1;
	}
	while (rules_blank(*a))
		a++;
	if (*a) {
		if (rules_parse_list(a, &nr, err, errlen) != 0)
			goto fail;
		nr.path = strdup(path);
		if (!nr.path) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}

	pthread_mutex_lock(&r->lock);
	struct rules_rule *old = rules_find(r, path);
	if (!nr.path) { /* removal */
		if (old) {
			rules_rule_free(old);
			*old = r->v[--r->n];
		}
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	if (old) {
		rules_rule_free(old);
		*old = nr;
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct rules_rule *v = realloc(r->v, cap * sizeof *v);
		if (!v) {
			pthread_mutex_unlock(&r->lock);
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = nr;
	pthread_mutex_unlock(&r->lock);
	return 0;
fail:
	rules_rule_free(&nr);
	return -1;
}

int fsrv_rules_set_spec(struct fsrv_rules *r, const char *spec, char *err,
			size_t errlen)
{
	size_t plen = strcspn(spec, " \t");
	char *path = strndup(spec, plen);
	int rc;

	if (!path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = fsrv_rules_set(r, path, spec + plen, err, errlen);
	free(path);
	return rc;
}

int fsrv_rules_take(struct fsrv_rules *r, const char *path,
		    const char *path2, struct fsrv_action *out)
{
	int rc = 0;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&r->lock);
	struct rules_rule *rule = rules_find(r, path);
	if ((!rule || rule->next >= rule->n) && path2)
		rule = rules_find(r, path2);
	if (rule && rule->next < rule->n) {
		const struct fsrv_action *a = &rule->acts[rule->next];

		*out = *a;
		out->url = NULL;
		rc = 1;
		if (a->url && !(out->url = strdup(a->url))) {
			memset(out, 0, sizeof *out);
			rc = -1;
		}
		/* An action is used up even if copying it failed: the
		 * next request must not repeat it. */
		rule->next++;
	}
	pthread_mutex_unlock(&r->lock);
	return rc;
}
