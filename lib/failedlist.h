/* The jobs left to do, `--save-failed FILE`: the failed, cancelled and
 * never-started jobs of a books run, written as a list file (see
 * lib/listfile.h) that `fetchpool FILE` runs again. Each job is a comment
 * line saying why, its job line (the URL as written, credentials kept,
 * or the ebook ID) and its option lines: out= always (the name the job
 * had in its run, so a rerun of the shorter list writes the same file),
 * then dir=, split=, priority=, sha256=, title= and header= when the job
 * had them.
 *
 * Memory stays bounded: each job is appended to FILE.tmp as it ends;
 * fp_failedlist_finish() fsyncs and renames FILE.tmp to FILE, so FILE
 * appears whole (empty when nothing is left) or not at all, and an older
 * FILE is replaced only then. Freed without finishing, FILE.tmp is
 * removed. FILE is mode 0600 when a URL in it carries a user:password@,
 * else 0644.
 *
 * Thread safety: one thread (the CLI's main thread) uses a list. */
#ifndef FP_FAILEDLIST_H
#define FP_FAILEDLIST_H

#include <stddef.h>

/* One job to retry. Strings are borrowed for the call. */
struct fp_failed_job {
	const char *url;     /* the URL as written (credentials kept), or
				NULL for an ebook ID */
	long id;             /* ebook ID when url is NULL */
	const char *out;     /* the file name it had; NULL: none */
	const char *dir;     /* its folder (dir=), or NULL */
	unsigned split;      /* split=; 0: not written */
	int priority;        /* 1..5; 0: not written */
	const unsigned char *sha256; /* 32 bytes, or NULL */
	const char *title;   /* from the list, or NULL */
	const char *const *headers; /* "Name: value" lines, nheaders */
	size_t nheaders;
	const char *why;     /* for the comment line: "failed: HTTP 404" */
};

struct fp_failedlist;

/* Start FILE: creates FILE.tmp (a stale one, or a symlink planted there,
 * is removed first; the new one is created exclusively, O_NOFOLLOW).
 * Returns FP_OK and *out; FP_EIO with errno set; FP_ENOMEM. */
int fp_failedlist_open(struct fp_failedlist **out, const char *path);

/* Append one job. Control characters in why and title become '?' (a
 * title= value may not hold them). Returns FP_OK, FP_EINVAL (no URL and
 * no positive ID), or FP_EIO with errno set; after an error, finish
 * fails too. */
int fp_failedlist_add(struct fp_failedlist *fl,
		      const struct fp_failed_job *job);

/* Number of jobs added. */
size_t fp_failedlist_count(const struct fp_failedlist *fl);

/* fsync FILE.tmp (when durable) and rename it to FILE. Returns FP_OK, or
 * FP_EIO with errno set (FILE.tmp removed, an older FILE untouched). The
 * list must still be freed. */
int fp_failedlist_finish(struct fp_failedlist *fl, int durable);

/* Free; removes FILE.tmp unless finished. NULL is fine. */
void fp_failedlist_free(struct fp_failedlist *fl);

#endif
