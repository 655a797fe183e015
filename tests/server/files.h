/* Static files: safe lookup under a directory, validators, and the HTTP
 * decision (200, 206, 304, 416) for conditional and range requests.
 *
 * The decision is a pure function of the file's metadata and the request
 * headers (fsrv_file_plan), so it can be unit-tested without a socket.
 */
#ifndef FSRV_FILES_H
#define FSRV_FILES_H
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "httpdate.h"

struct fsrv_file {
	int fd;                          /* open, read-only; -1 if none */
	uint64_t size;
	time_t mtime;                    /* seconds */
	char etag[64];                   /* "<size hex>-<mtime ns hex>" */
	char last_modified[FSRV_HTTPDATE_LEN];
	bool index;                      /* a directory's index.html */
};

/* Open DIR + PATH (PATH is a decoded URL path starting with '/'). A
 * directory is served by its index.html. Returns 0 and fills *f (the caller
 * owns f->fd), -1 when not found or not a regular file, -2 when PATH has a
 * ".." segment (forbidden). Thread-safe. */
int fsrv_file_open(const char *dir, const char *path, struct fsrv_file *f);

/* Set f->etag and f->last_modified from size and mtime (MTIME_NS is the
 * sub-second part, in nanoseconds). */
void fsrv_file_set_validators(struct fsrv_file *f, long mtime_ns);

/* Request headers relevant to the decision; NULL when absent. */
struct fsrv_conditions {
	bool is_get;          /* GET (Range is defined for GET only) */
	bool validators;      /* false: --no-validators */
	time_t now;           /* If-Modified-Since in the future is ignored */
	const char *range, *if_range, *if_modified_since, *if_none_match;
};

struct fsrv_plan {
	int status;           /* 200, 206, 304 or 416 */
	uint64_t first, len;  /* the bytes to send (200, 206) */
};

/* Decide the answer for a GET or HEAD of F. Pure, thread-safe. */
void fsrv_file_plan(const struct fsrv_file *f, const struct fsrv_conditions *c,
		    struct fsrv_plan *p);

/* Parse a Range header for a body of SIZE bytes. Returns 1 and sets
 * *first and *len for one satisfiable range ("bytes=N-", "bytes=N-M",
 * "bytes=-N"); 0 when the header must be ignored (bad syntax, other units,
 * several ranges); -1 when unsatisfiable (416). */
int fsrv_range_parse(const char *hdr, uint64_t size, uint64_t *first,
		     uint64_t *len);

/* True if the If-None-Match list (or "*") matches ETAG by weak comparison
 * (W/ prefixes ignored). */
bool fsrv_etag_list_match(const char *list, const char *etag);

/* Content-Type for a file name, by extension (static string). */
const char *fsrv_mime_type(const char *name);

#endif
