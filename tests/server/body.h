/* Response bodies with optional fault pacing.
 *
 * A body comes from a file descriptor range, from memory, or is endless.
 * Unpaced file bodies go through MHD's fd responses (sendfile), so big
 * files are never read into memory. Paced bodies (truncate, stall, drip)
 * and endless ones go through a content reader that sleeps in the
 * connection's own thread; the sleeps end at once when shutdown begins.
 */
#ifndef FSRV_BODY_H
#define FSRV_BODY_H
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stop.h"

/* Bytes sent before a stall, when the body is longer than this. A shorter
 * body stalls after its first half, so the stall is still observable. */
#define FSRV_STALL_AFTER 1024

struct fsrv_pace {
	bool truncate;        /* close after truncate_at body bytes */
	uint64_t truncate_at;
	bool stall;           /* pause stall_ms once, see FSRV_STALL_AFTER */
	uint64_t stall_ms;
	uint64_t drip_bps;    /* 0: full speed; else about this many B/s */
	/* --meter: serve through the content reader (never sendfile) and
	 * call on_sent(sent_ctx, N) as N body bytes go to the socket. */
	void (*on_sent)(void *sent_ctx, uint64_t n);
	void *sent_ctx;
};

/* A response for LEN bytes of FD starting at OFFSET. Takes FD (closed
 * when MHD is done, or here on failure). PACE may be NULL. Returns NULL
 * when out of memory. */
struct MHD_Response *fsrv_body_fd(int fd, uint64_t offset, uint64_t len,
				  const struct fsrv_pace *pace,
				  struct fsrv_stop *st);

/* A response for LEN bytes at BUF. Takes BUF (malloc'd; freed by MHD, or
 * here on failure). PACE may be NULL. NULL when out of memory. */
struct MHD_Response *fsrv_body_mem(char *buf, size_t len,
				   const struct fsrv_pace *pace,
				   struct fsrv_stop *st);

/* A response with no length (chunked) whose body never ends until the
 * client goes away or shutdown begins. NULL when out of memory. */
struct MHD_Response *fsrv_body_endless(struct fsrv_stop *st);

/* Fill BUF with N bytes of the endless body's pattern from offset POS
 * (lines of printable text). Exposed for tests. */
void fsrv_body_pattern(uint64_t pos, char *buf, size_t n);

#endif
