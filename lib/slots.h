/* Request slots: what one HTTP request holds while it is on the wire.
 *
 * A slot is one permit of a counting semaphore (N permits: -j) and, with
 * it, one libcurl easy handle from a cache of handles. The pool of workers
 * is larger than N (a worker sleeping in a backoff, parsing a reply or
 * writing a file holds no slot), so the semaphore alone bounds requests in
 * flight. The handle cache is not a bound: it prefers the free handle with
 * the freshest kept connection to the request's host:port (each keeps up to
 * FP_XFER_MAX_CONNECTS, one per host), so that connection is reused; for a
 * host none of the free ones knows it makes another handle while there are
 * fewer than 2 N (idle handles keep their connections for their hosts'
 * next requests), else takes the one idle longest. With one host,
 * connections stay about N.
 *
 * A permit may also be taken by the scheduler when it hands a job to a
 * worker (fp_slots_gate as its gate), so jobs start their first
 * request in dispatch order; the job's first fp_slots_acquire() then uses
 * that permit instead of waiting. See doc/DESIGN.md, "Request slots".
 *
 * Thread-safe, except create and destroy. */
#ifndef FP_SLOTS_H
#define FP_SLOTS_H
#include <stdbool.h>
#include <stdint.h>

struct fp_slots;
struct fp_share;
struct fp_cancel;
struct fp_xfer;
struct fp_xfer_config;

struct slot_host;

/* A worker's claim on one permit, owned by the worker thread. */
struct fp_permit {
	bool held; /* prepaid with the job, not used by a request yet */
	struct slot_host *host; /* the host unit prepaid with it, or NULL */
};

/* PERMITS: 1..FP_POOL_MAX. PER_HOST: most requests in flight to one
 * host:port (0: no cap beyond PERMITS). SH (may be NULL) is shared by
 * every handle; CFG is copied by each handle. FP_OK and *out, FP_EINVAL
 * or FP_ENOMEM. */
int fp_slots_create(struct fp_slots **out, unsigned permits,
		    unsigned per_host, struct fp_share *sh,
		    const struct fp_xfer_config *cfg);

/* Take a slot for one request to HOST (a "host:port" key, may be empty):
 * the permit in P if it holds one for HOST, else a unit of HOST's room
 * (waiting while HOST is full or paused) and a permit from the semaphore
 * (waiting while none is free), then a handle. FP_OK and *x, or
 * FP_ECANCELED (TOK fired or its deadline passed; no slot held) or
 * FP_ENOMEM (no handle could be made; no slot held). */
int fp_slots_acquire(struct fp_slots *s, struct fp_permit *p,
		     const char *host, struct fp_cancel *tok,
		     struct fp_xfer **x);

/* Give back the handle X (noting HOST as its connection's host), HOST's
 * unit and the permit, once the request is over. */
void fp_slots_release(struct fp_slots *s, struct fp_xfer *x,
		      const char *host);

/* Scheduler gate, for JOB (queued at LEVEL) whose first request goes to
 * HOST (a "host:port" key, or NULL): when HOST has room (under its cap
 * and not paused) and a permit is free now, take both into P and return
 * FP_SCHED_GO; with no free permit, FP_SCHED_WAIT; when HOST has no room,
 * keep JOB on HOST's parked list and return FP_SCHED_PARKED: it goes back
 * through the unpark hook, in order, as HOST gets room. Never blocks. */
int fp_slots_gate(struct fp_slots *s, const char *host, void *job,
		  int level, struct fp_permit *p);

/* UNPARK(JOB, LEVEL, ARG) runs for each parked job HOST has room for again
 * (on the thread that made the room, no lock held). Set before the slots
 * are shared. */
void fp_slots_on_unpark(struct fp_slots *s,
			void (*unpark)(void *job, int level, void *arg),
			void *arg);

/* A 429 (or 503 with Retry-After) from HOST: no new request goes to it
 * before UNTIL_MS (monotonic); a later UNTIL_MS extends the pause. */
void fp_slots_pause_host(struct fp_slots *s, const char *host,
			 int64_t until_ms);

/* Unpark the jobs of hosts whose pause is over at NOW_MS; returns the
 * next time a pause with parked jobs ends, or -1. */
int64_t fp_slots_unpause_due(struct fp_slots *s, int64_t now_ms);

/* After a cancellation: hand every parked job to DROP(JOB, ARG). */
void fp_slots_drop_parked(struct fp_slots *s,
			  void (*drop)(void *job, void *arg), void *arg);

/* Give back the prepaid permit (and host unit) in P if the job did not
 * use it. */
void fp_slots_refund(struct fp_slots *s, struct fp_permit *p);

/* Waking a dispatcher. A thread that gives a permit back and will ask
 * the scheduler for its next job soon (the usual end of a job) takes the
 * free permit itself, and nobody is woken: a wake-up per request would
 * cost two context switches per small file. A thread that gives a permit
 * back and is about to sleep (a backoff, the host's --delay turn) or to
 * work a while without one (parse a reply, fsync a file) calls
 * fp_slots_wake(): FN(ARG) (set by fp_slots_on_free before the slots are
 * shared) then wakes a worker waiting to start a job, if a permit is
 * free. */
void fp_slots_on_free(struct fp_slots *s, void (*fn)(void *), void *arg);
void fp_slots_wake(struct fp_slots *s);

/* Snapshots: permits held now, the most ever held at once, handles made. */
unsigned fp_slots_in_flight(struct fp_slots *s);
unsigned fp_slots_peak(struct fp_slots *s);
unsigned fp_slots_handles(struct fp_slots *s);

/* Free every handle (closing its connections). No slot may be held. NULL
 * is fine. */
void fp_slots_destroy(struct fp_slots *s);

#endif
