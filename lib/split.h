/* Ranged parts of one big file, fetched at once (--split).
 *
 * A file is cut into up to FP_SPLIT_MAX byte ranges; each is fetched by a
 * request of its own ("Range: bytes=A-B", guarded by If-Range), holding
 * its own request slot, so -j still bounds the requests in flight. All of
 * them write with pwrite() into the one NAME.part, which therefore has
 * holes until every range is whole.
 *
 * What each range received is remembered in NAME.part.ranges, written
 * before NAME.part holds anything but a prefix and replaced (a new file
 * renamed over it) as the ranges advance, never claiming a byte that is
 * not yet written: after an interruption the next run fetches only what
 * is missing. A NAME.part with a ranges file is never resumed as a
 * prefix. See doc/DESIGN.md, "Big files".
 *
 * The plan and the ranges file are plain data; fp_split_fetch() runs the
 * requests: the calling thread takes one range, a thread per other range
 * takes the rest, and all of them are joined before it returns. */
#ifndef FP_SPLIT_H
#define FP_SPLIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xfer.h"

struct fp_slots;
struct fp_permit;
struct fp_cancel;
struct fp_outfile;

#define FP_SPLIT_MAX 16
#define FP_SPLIT_SUFFIX ".part.ranges"
#define FP_SPLIT_VALIDATOR_MAX 512

/* Bytes [start, end) of the file, of which the first GOT are on disk. */
struct fp_split_range {
	int64_t start, end, got;
};

struct fp_split {
	int64_t total;
	/* The strong ETag, else the Last-Modified date, of the body: every
	 * range is asked for under If-Range with it. */
	char validator[FP_SPLIT_VALIDATOR_MAX];
	char last_modified[64]; /* the body's date, or "" */
	unsigned n;
	struct fp_split_range r[FP_SPLIT_MAX];
};

/* Cut TOTAL bytes into at most PARTS ranges (1..FP_SPLIT_MAX) of at least
 * MIN_SIZE bytes each, of equal size but for the last; returns how many
 * (1 when TOTAL is under 2 x MIN_SIZE: not worth splitting). */
unsigned fp_split_plan(struct fp_split *s, int64_t total, unsigned parts,
		       int64_t min_size);

/* The validator a split body can be guarded by: a strong ETag, else a
 * Last-Modified date; NULL when there is neither (a weak ETag cannot
 * guard a range). */
const char *fp_split_validator(const char *etag, const char *last_modified);

/* Bytes of the file on disk. */
int64_t fp_split_have(const struct fp_split *s);

/* NAME.part.ranges in DIRFD: write S (a new file renamed over the old
 * one: a crash leaves the old or the new, whole), load it (FP_OK;
 * FP_ENOENT when there is none; FP_EPARSE when it is not one this
 * program wrote, or is inconsistent), remove it (ENOENT is fine). Names
 * as fp_outfile_open(). FP_EIO with errno set when the system refused. */
int fp_split_save(int dirfd, const char *name, const struct fp_split *s);
int fp_split_load(int dirfd, const char *name, struct fp_split *s);
int fp_split_forget(int dirfd, const char *name);

/* Called after every ranged attempt (for -v), serialized. */
typedef void fp_split_trace_fn(void *ctx, unsigned range, unsigned attempt,
			       const struct fp_xfer_res *res, int64_t wait_ms,
			       const char *why);

struct fp_split_job {
	struct fp_slots *slots;
	unsigned retries;           /* extra attempts per range */
	const char *url;            /* the URL that answered */
	const char *display_url;    /* for messages */
	const char *const *headers; /* the job's own request headers */
	size_t nheaders;
	int dirfd;
	const char *name;           /* NAME, for NAME.part.ranges */
	struct fp_outfile *part;    /* NAME.part, open, of S->total bytes */
	struct fp_split *s;         /* advanced as the ranges arrive */
	_Atomic int64_t *rx_bytes;  /* body bytes as they arrive, or NULL */
	fp_split_trace_fn *trace;   /* or NULL */
	void *trace_ctx;
};

/* Fetch every range of J->s not yet whole, at once, and keep
 * NAME.part.ranges up to date. Returns FP_OK when the file is whole;
 * FP_ECANCELED when TOK fired or its deadline passed; FP_ECHANGED when
 * the server sent the whole body instead of a range (the file changed,
 * or the server stopped honouring ranges): nothing more was written;
 * else an fp_err with ERR filled (a range failed after its attempts, or
 * the disk refused). *BYTES and *ATTEMPTS get the body bytes received
 * and the requests made. PERMIT is the calling worker's. */
int fp_split_fetch(const struct fp_split_job *j, struct fp_permit *permit,
		   struct fp_cancel *tok, int64_t *bytes, unsigned *attempts,
		   char *err, size_t errlen);

#endif
