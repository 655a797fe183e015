/* Design: the semaphore counts permits; the handle cache is an array of
 * pointers, searched linearly (at most a few dozen handles, each search
 * far cheaper than the request it serves); hosts are a hash table of
 * their units in use, pause and parked jobs. The cache and the hosts are
 * under one mutex. Lock order: the scheduler's lock (fp_slots_gate runs
 * under it), a cancel token's lock (its waker), this mutex, the
 * semaphore's. Unpark hooks run with none of them held. */
#include "slots.h"
#include "error.h"
#include "pool.h"
#include "sem.h"
#include "cancel.h"
#include "hash.h"
#include "sched.h"
#include "timeutil.h"
#include "xfer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hosts a handle has connections to: its transfer keeps the last
 * FP_XFER_MAX_CONNECTS (libcurl closes the one idle longest). */
struct slot_conn {
	uint64_t used;  /* tick of the last request to it; 0: empty */
	char host[256]; /* host:port */
};

struct slot_handle {
	struct fp_xfer *x;
	bool busy;
	uint64_t last_use; /* tick of the last release: LRU among the free */
	struct slot_conn conn[FP_XFER_MAX_CONNECTS];
};

struct parked_job {
	struct parked_job *next;
	void *job;
	int level;
};

struct slot_host {
	struct slot_host *next; /* hash chain */
	unsigned busy;          /* requests in flight and prepaid permits */
	int64_t paused_until;   /* monotonic ms; 0: not paused */
	struct parked_job *parked, **parked_tail;
	char key[];
};

#define SLOTS_HOST_BUCKETS 256

struct fp_slots {
	struct fp_sem *sem;
	unsigned per_host;
	struct slot_host *hosts[SLOTS_HOST_BUCKETS];
	pthread_cond_t room; /* a host got room */
	atomic_uint npaused; /* hosts with a pause set (read unlocked) */
	void (*unpark)(void *job, int level, void *arg);
	void *unpark_arg;
	struct fp_share *share;
	struct fp_xfer_config cfg;
	unsigned keep; /* connections a handle keeps (cfg.max_connects) */
	unsigned max_handles; /* handles made for new hosts, at most */
	pthread_mutex_t mu;
	struct slot_handle **h;
	unsigned n, cap;
	uint64_t tick;
	unsigned permits;
	void (*on_free)(void *);
	void *on_free_arg;
};

static void slots_budget(unsigned permits, unsigned *handles,
			 unsigned *keep);

int fp_slots_create(struct fp_slots **out, unsigned permits,
		    unsigned per_host, struct fp_share *sh,
		    const struct fp_xfer_config *cfg)
{
	struct fp_slots *s;

	*out = NULL;
	if (permits == 0 || permits > FP_POOL_MAX)
		return FP_EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return FP_ENOMEM;
	s->h = calloc(permits, sizeof(*s->h));
	if (!s->h || fp_sem_create(&s->sem, permits)) {
		free(s->h);
		free(s);
		return FP_ENOMEM;
	}
	s->cap = permits;
	s->permits = permits;
	s->per_host = per_host;
	s->share = sh;
	s->cfg = *cfg;
	slots_budget(permits, &s->max_handles, &s->keep);
	s->cfg.max_connects = s->keep;
	pthread_mutex_init(&s->mu, NULL);
	fp_cond_init_monotonic(&s->room);
	*out = s;
	return FP_OK;
}

/* Handles per permit at most: with many hosts, idle handles keep their
 * connections for the next request to the same host. */
#define SLOTS_SPARE 2

/* How many handles new hosts may get (SLOTS_SPARE per permit) and how
 * many connections each keeps (FP_XFER_MAX_CONNECTS), within half of
 * the descriptors allowed (RLIMIT_NOFILE): a handle costs two for its
 * wake-up pair and one per kept connection; the other half is for files
 * and the rest. Fewer kept connections first, then fewer spare handles;
 * never fewer than PERMITS handles keeping one. */
static void slots_budget(unsigned permits, unsigned *handles, unsigned *keep)
{
	struct rlimit rl;
	rlim_t fds, n = (rlim_t)SLOTS_SPARE * permits;

	*handles = (unsigned)n;
	*keep = FP_XFER_MAX_CONNECTS;
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return;
	fds = rl.rlim_cur / 2;
	if (n * (2 + *keep) <= fds)
		return;
	if (fds / n >= 3) {
		*keep = (unsigned)(fds / n - 2);
		return;
	}
	*keep = 1;
	n = fds / 3;
	*handles = n > permits ? (unsigned)n : permits;
}

/* When H last went to HOST, or 0 if it keeps no connection there. */
static uint64_t slots_conn_used(const struct slot_handle *h, const char *host)
{
	unsigned i;

	for (i = 0; i < FP_XFER_MAX_CONNECTS; i++)
		if (h->conn[i].used && !strcmp(h->conn[i].host, host))
			return h->conn[i].used;
	return 0;
}

/* HOST is H's newest connection; the one idle longest of its KEEP makes
 * room. */
static void slots_conn_note(struct slot_handle *h, const char *host,
			    uint64_t tick, unsigned keep)
{
	struct slot_conn *c = &h->conn[0];
	unsigned i;

	for (i = 0; i < keep; i++) {
		if (h->conn[i].used && !strcmp(h->conn[i].host, host)) {
			c = &h->conn[i];
			break;
		}
		if (h->conn[i].used < c->used)
			c = &h->conn[i];
	}
	c->used = tick;
	snprintf(c->host, sizeof(c->host), "%s", host);
}

/* The free handle with the freshest connection to HOST; else, while there
 * are fewer handles than the budget allows, NULL (make one: a handle
 * that is busy elsewhere may come back to HOST's connection later, where
 * taking the free one would close one of its own); else the free one idle
 * longest, else NULL. */
static struct slot_handle *slots_pick(struct fp_slots *s, const char *host)
{
	struct slot_handle *lru = NULL, *best = NULL;
	uint64_t best_used = 0;
	unsigned i;

	for (i = 0; i < s->n; i++) {
		struct slot_handle *h = s->h[i];
		uint64_t used;

		if (h->busy)
			continue;
		used = host[0] ? slots_conn_used(h, host) : 0;
		if (used > best_used) {
			best = h;
			best_used = used;
		}
		if (!lru || h->last_use < lru->last_use)
			lru = h;
	}
	if (best)
		return best;
	return host[0] && s->n < s->max_handles ? NULL : lru;
}

static struct slot_handle *slots_make(struct fp_slots *s)
{
	struct slot_handle *h;

	if (s->n == s->cap) {
		/* More requests than permits: only without the semaphore. */
		struct slot_handle **n = realloc(s->h, 2 * s->cap * sizeof(*n));

		if (!n)
			return NULL;
		s->h = n;
		s->cap *= 2;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	if (fp_xfer_create(&h->x, s->share, &s->cfg)) {
		free(h);
		return NULL;
	}
	s->h[s->n++] = h;
	return h;
}

/* HOST's entry, made on first sight; NULL for no host (or no memory:
 * then the host is not counted, which only loosens its cap). */
static struct slot_host *slots_host(struct fp_slots *s, const char *host)
{
	size_t n;
	unsigned b;
	struct slot_host *h;

	if (!host || !host[0])
		return NULL;
	b = (unsigned)(fp_fnv1a64_str(host) % SLOTS_HOST_BUCKETS);
	for (h = s->hosts[b]; h; h = h->next)
		if (!strcmp(h->key, host))
			return h;
	n = strlen(host);
	h = calloc(1, sizeof(*h) + n + 1);
	if (!h)
		return NULL;
	memcpy(h->key, host, n + 1);
	h->parked_tail = &h->parked;
	h->next = s->hosts[b];
	s->hosts[b] = h;
	return h;
}

static bool slots_room(const struct fp_slots *s, const struct slot_host *h,
		       int64_t now)
{
	if (!h)
		return true;
	return (!s->per_host || h->busy < s->per_host) &&
	       h->paused_until <= now;
}

/* Move the parked jobs H has room for now onto *OUT (in order). */
static void slots_take_parked(struct fp_slots *s, struct slot_host *h,
			      int64_t now, struct parked_job **out)
{
	unsigned room;

	if (!h->parked || h->paused_until > now)
		return;
	room = s->per_host ? s->per_host - h->busy : ~0u;
	while (h->parked && room--) {
		struct parked_job *pj = h->parked;

		h->parked = pj->next;
		if (!h->parked)
			h->parked_tail = &h->parked;
		pj->next = NULL;
		*out = pj;
		out = &pj->next;
	}
}

/* Give back one unit of H (mutex held); the jobs it makes room for go to
 * *OUT for slots_unpark(). */
static void slots_host_put(struct fp_slots *s, struct slot_host *h,
			   struct parked_job **out)
{
	if (!h)
		return;
	h->busy--;
	pthread_cond_broadcast(&s->room);
	slots_take_parked(s, h, fp_now_ms(), out);
}

/* Hand the jobs in LIST back to the scheduler (no lock held). */
static void slots_unpark(struct fp_slots *s, struct parked_job *list)
{
	while (list) {
		struct parked_job *pj = list;

		list = pj->next;
		s->unpark(pj->job, pj->level, s->unpark_arg);
		free(pj);
	}
}

int fp_slots_gate(struct fp_slots *s, const char *host, void *job,
		  int level, struct fp_permit *p)
{
	struct slot_host *h;
	int rc = FP_SCHED_WAIT;

	pthread_mutex_lock(&s->mu);
	h = slots_host(s, host);
	if (!slots_room(s, h, fp_now_ms())) {
		struct parked_job *pj = malloc(sizeof(*pj));

		if (!pj)
			abort(); /* a lost job would lose its outcome */
		pj->job = job;
		pj->level = level;
		pj->next = NULL;
		*h->parked_tail = pj;
		h->parked_tail = &pj->next;
		rc = FP_SCHED_PARKED;
	} else if (fp_sem_try_acquire(s->sem) == FP_OK) {
		if (h)
			h->busy++;
		p->held = true;
		p->host = h;
		rc = FP_SCHED_GO;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

void fp_slots_on_unpark(struct fp_slots *s,
			void (*unpark)(void *job, int level, void *arg),
			void *arg)
{
	s->unpark = unpark;
	s->unpark_arg = arg;
}

void fp_slots_pause_host(struct fp_slots *s, const char *host,
			 int64_t until_ms)
{
	struct slot_host *h;

	pthread_mutex_lock(&s->mu);
	h = slots_host(s, host);
	if (h && until_ms > h->paused_until) {
		if (!h->paused_until)
			s->npaused++;
		h->paused_until = until_ms;
	}
	pthread_mutex_unlock(&s->mu);
}

int64_t fp_slots_unpause_due(struct fp_slots *s, int64_t now_ms)
{
	struct parked_job *list = NULL, **tail = &list;
	int64_t next = -1;
	unsigned b;

	/* Called on every turn of the main loop: no lock when no host is
	 * paused, the usual case. */
	if (!atomic_load(&s->npaused))
		return -1;
	pthread_mutex_lock(&s->mu);
	for (b = 0; atomic_load(&s->npaused) && b < SLOTS_HOST_BUCKETS; b++) {
		struct slot_host *h;

		for (h = s->hosts[b]; h; h = h->next) {
			if (!h->paused_until)
				continue;
			if (h->paused_until > now_ms) {
				if (h->parked &&
				    (next < 0 || h->paused_until < next))
					next = h->paused_until;
				continue;
			}
			h->paused_until = 0;
			s->npaused--;
			pthread_cond_broadcast(&s->room);
			slots_take_parked(s, h, now_ms, tail);
			while (*tail)
				tail = &(*tail)->next;
		}
	}
	pthread_mutex_unlock(&s->mu);
	slots_unpark(s, list);
	return next;
}

void fp_slots_drop_parked(struct fp_slots *s,
			  void (*drop)(void *job, void *arg), void *arg)
{
	struct parked_job *list = NULL, **tail = &list;
	unsigned b;

	pthread_mutex_lock(&s->mu);
	for (b = 0; b < SLOTS_HOST_BUCKETS; b++) {
		struct slot_host *h;

		for (h = s->hosts[b]; h; h = h->next) {
			if (!h->parked)
				continue;
			*tail = h->parked;
			tail = h->parked_tail;
			h->parked = NULL;
			h->parked_tail = &h->parked;
		}
	}
	pthread_mutex_unlock(&s->mu);
	while (list) {
		struct parked_job *pj = list;

		list = pj->next;
		drop(pj->job, arg);
		free(pj);
	}
}

static void slots_wake_room(void *arg)
{
	struct fp_slots *s = arg;

	pthread_mutex_lock(&s->mu);
	pthread_cond_broadcast(&s->room);
	pthread_mutex_unlock(&s->mu);
}

/* Wait for a unit of HOST's room and take it. FP_OK (*hp: the host
 * taken, or NULL for none) or FP_ECANCELED. */
static int slots_host_get(struct fp_slots *s, const char *host,
			  struct fp_cancel *tok, struct slot_host **hp)
{
	struct fp_cancel_waker w = { slots_wake_room, s, NULL };
	struct slot_host *h;
	int rc = FP_OK;

	if (tok)
		fp_cancel_add_waker(tok, &w);
	pthread_mutex_lock(&s->mu);
	h = slots_host(s, host);
	for (;;) {
		int64_t now = fp_now_ms(), until = -1;

		if (slots_room(s, h, now))
			break;
		if (tok && fp_cancel_is_set(tok)) {
			rc = FP_ECANCELED;
			break;
		}
		if (h->paused_until > now)
			until = h->paused_until;
		if (tok && fp_cancel_remaining_ms(tok) != INT64_MAX &&
		    (until < 0 || now + fp_cancel_remaining_ms(tok) < until))
			until = now + fp_cancel_remaining_ms(tok) + 1;
		if (until >= 0) {
			struct timespec ts = fp_ms_to_ts(until);

			pthread_cond_timedwait(&s->room, &s->mu, &ts);
		} else {
			pthread_cond_wait(&s->room, &s->mu);
		}
	}
	if (rc == FP_OK && h)
		h->busy++;
	pthread_mutex_unlock(&s->mu);
	if (tok)
		fp_cancel_remove_waker(tok, &w);
	*hp = h;
	return rc;
}

int fp_slots_acquire(struct fp_slots *s, struct fp_permit *p,
		     const char *host, struct fp_cancel *tok,
		     struct fp_xfer **x)
{
	struct parked_job *unparked = NULL;
	struct slot_handle *h;
	struct slot_host *hh = NULL;
	bool prepaid = false;
	int rc;

	*x = NULL;
	if (p && p->held) {
		pthread_mutex_lock(&s->mu);
		hh = slots_host(s, host);
		pthread_mutex_unlock(&s->mu);
		if (hh == p->host) {
			p->held = false;
			p->host = NULL;
			prepaid = true;
		} else {
			fp_slots_refund(s, p); /* prepaid for another host */
		}
	}
	if (!prepaid) {
		rc = slots_host_get(s, host, tok, &hh);
		if (rc)
			return FP_ECANCELED;
		rc = fp_sem_acquire(s->sem, tok);
		if (rc) {
			pthread_mutex_lock(&s->mu);
			slots_host_put(s, hh, &unparked);
			pthread_mutex_unlock(&s->mu);
			slots_unpark(s, unparked);
			return FP_ECANCELED;
		}
	}
	pthread_mutex_lock(&s->mu);
	h = slots_pick(s, host ? host : "");
	if (!h)
		h = slots_make(s);
	if (h)
		h->busy = true;
	else
		slots_host_put(s, hh, &unparked);
	pthread_mutex_unlock(&s->mu);
	if (!h) {
		fp_sem_release(s->sem);
		slots_unpark(s, unparked);
		return FP_ENOMEM;
	}
	*x = h->x;
	return FP_OK;
}

void fp_slots_release(struct fp_slots *s, struct fp_xfer *x,
		      const char *host)
{
	struct parked_job *unparked = NULL;
	unsigned i;

	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->n; i++) {
		struct slot_handle *h = s->h[i];

		if (h->x != x)
			continue;
		h->busy = false;
		h->last_use = ++s->tick;
		if (host && host[0])
			slots_conn_note(h, host, h->last_use, s->keep);
		break;
	}
	slots_host_put(s, slots_host(s, host), &unparked);
	pthread_mutex_unlock(&s->mu);
	fp_sem_release(s->sem);
	slots_unpark(s, unparked);
}

void fp_slots_refund(struct fp_slots *s, struct fp_permit *p)
{
	struct parked_job *unparked = NULL;

	if (!p->held)
		return;
	pthread_mutex_lock(&s->mu);
	slots_host_put(s, p->host, &unparked);
	pthread_mutex_unlock(&s->mu);
	p->held = false;
	p->host = NULL;
	fp_sem_release(s->sem);
	slots_unpark(s, unparked);
}

void fp_slots_on_free(struct fp_slots *s, void (*fn)(void *), void *arg)
{
	s->on_free = fn;
	s->on_free_arg = arg;
}

void fp_slots_wake(struct fp_slots *s)
{
	if (s->on_free && fp_sem_held(s->sem) < s->permits)
		s->on_free(s->on_free_arg);
}

unsigned fp_slots_in_flight(struct fp_slots *s)
{
	return fp_sem_held(s->sem);
}

unsigned fp_slots_peak(struct fp_slots *s)
{
	return fp_sem_peak(s->sem);
}

unsigned fp_slots_handles(struct fp_slots *s)
{
	unsigned n;

	pthread_mutex_lock(&s->mu);
	n = s->n;
	pthread_mutex_unlock(&s->mu);
	return n;
}

void fp_slots_destroy(struct fp_slots *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		fp_xfer_destroy(s->h[i]->x);
		free(s->h[i]);
	}
	free(s->h);
	for (i = 0; i < SLOTS_HOST_BUCKETS; i++) {
		while (s->hosts[i]) {
			struct slot_host *h = s->hosts[i];

			s->hosts[i] = h->next;
			while (h->parked) {
				struct parked_job *pj = h->parked;

				h->parked = pj->next;
				free(pj);
			}
			free(h);
		}
	}
	pthread_cond_destroy(&s->room);
	pthread_mutex_destroy(&s->mu);
	fp_sem_destroy(s->sem);
	free(s);
}
