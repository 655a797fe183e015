/* Response bodies: fd, memory, endless; paced by a content reader. */
#include "body.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Drip sends about ten chunks a second, at least one byte each. */
#define BODY_DRIP_HZ 10
#define BODY_BLOCK (16 * 1024)

struct body {
	int fd;          /* file source, or -1 */
	uint64_t offset; /* of the body in the file */
	char *mem;       /* memory source, or NULL */
	uint64_t len;    /* body length (unused when endless) */
	bool endless;
	struct fsrv_pace pace;
	uint64_t stall_after;
	bool stalled;
	int64_t drip_t0_ns; /* when the first dripped chunk went out */
	struct fsrv_stop *st;
};

static const char body_line[] =
	"fixture-server endless body: this line repeats until you stop.\n";

void fsrv_body_pattern(uint64_t pos, char *buf, size_t n)
{
	size_t period = sizeof body_line - 1;

	for (size_t i = 0; i < n; i++)
		buf[i] = body_line[(pos + i) % period];
}

static uint64_t body_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static ssize_t body_fill(struct body *b, uint64_t pos, char *buf, size_t n)
{
	if (b->endless) {
		fsrv_body_pattern(pos, buf, n);
		return (ssize_t)n;
	}
	if (b->mem) {
		memcpy(buf, b->mem + pos, n);
		return (ssize_t)n;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(b->fd, buf + got, n - got,
				  (off_t)(b->offset + pos + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) /* error, or the file shrank under us */
			return got ? (ssize_t)got
				   : MHD_CONTENT_READER_END_WITH_ERROR;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static ssize_t body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct body *b = cls;
	uint64_t n = max;

	if (fsrv_stopping(b->st))
		return MHD_CONTENT_READER_END_WITH_ERROR;
	/* Ending "with error" makes MHD close the connection: with the
	 * length already announced, the client sees a short body. */
	if (b->pace.truncate && pos >= b->pace.truncate_at)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	if (b->pace.stall && !b->stalled && pos >= b->stall_after) {
		b->stalled = true;
		if (!fsrv_sleep_ms(b->st, b->pace.stall_ms))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	if (!b->endless) {
		if (pos >= b->len)
			return MHD_CONTENT_READER_END_OF_STREAM;
		n = body_min(n, b->len - pos);
	}
	if (b->pace.truncate)
		n = body_min(n, b->pace.truncate_at - pos);
	if (b->pace.stall && !b->stalled)
		n = body_min(n, b->stall_after - pos);
	if (b->pace.drip_bps) {
		uint64_t chunk = b->pace.drip_bps / BODY_DRIP_HZ;

		n = body_min(n, chunk ? chunk : 1);
		/* Byte POS is due POS/BPS seconds after the first one: a
		 * schedule, not a fixed pause, so the rate holds on average
		 * whatever the scheduling jitter. */
		if (pos == 0 || b->drip_t0_ns == 0)
			b->drip_t0_ns = fsrv_now_ns();
		int64_t due = b->drip_t0_ns +
			      (int64_t)((double)pos * 1e9 /
					(double)b->pace.drip_bps);
		if (!fsrv_sleep_until_ns(b->st, due))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	if (n == 0) /* stall_after == pos handled above; cannot happen */
		return MHD_CONTENT_READER_END_WITH_ERROR;
	ssize_t got = body_fill(b, pos, buf, (size_t)n);
	if (got > 0 && b->pace.on_sent)
		b->pace.on_sent(b->pace.sent_ctx, (uint64_t)got);
	return got;
}

static void body_free(void *cls)
{
	struct body *b = cls;

	if (b->fd >= 0)
		close(b->fd);
	free(b->mem);
	free(b);
}

static bool body_paced(const struct fsrv_pace *p)
{
	return p && (p->truncate || p->stall || p->drip_bps || p->on_sent);
}

static struct MHD_Response *body_reader(struct body *b)
{
	struct MHD_Response *resp;

	if (b->pace.stall)
		b->stall_after = b->len > FSRV_STALL_AFTER ? FSRV_STALL_AFTER
							   : b->len / 2;
	resp = MHD_create_response_from_callback(
		b->endless ? MHD_SIZE_UNKNOWN : b->len, BODY_BLOCK, body_read,
		b, body_free);
	if (!resp)
		body_free(b);
	return resp;
}

struct MHD_Response *fsrv_body_fd(int fd, uint64_t offset, uint64_t len,
				  const struct fsrv_pace *pace,
				  struct fsrv_stop *st)
{
	struct MHD_Response *resp;

	if (len == 0) {
		close(fd);
		return fsrv_body_mem(NULL, 0, pace, st);
	}
	if (!body_paced(pace)) {
		resp = MHD_create_response_from_fd_at_offset64(len, fd,
							       offset);
		if (!resp)
			close(fd);
		return resp;
	}
	struct body *b = calloc(1, sizeof *b);
	if (!b) {
		close(fd);
		return NULL;
	}
	b->fd = fd;
	b->offset = offset;
	b->len = len;
	b->pace = *pace;
	b->st = st;
	return body_reader(b);
}

struct MHD_Response *fsrv_body_mem(char *buf, size_t len,
				   const struct fsrv_pace *pace,
				   struct fsrv_stop *st)
{
	struct MHD_Response *resp;

	if (!body_paced(pace)) {
		if (len == 0) {
			free(buf);
			return MHD_create_response_from_buffer(
				0, (void *)"", MHD_RESPMEM_PERSISTENT);
		}
		resp = MHD_create_response_from_buffer_with_free_callback(
			len, buf, free);
		if (!resp)
			free(buf);
		return resp;
	}
	struct body *b = calloc(1, sizeof *b);
	if (!b) {
		free(buf);
		return NULL;
	}
	b->fd = -1;
	b->mem = buf;
	b->len = len;
	b->pace = *pace;
	b->st = st;
	return body_reader(b);
}

struct MHD_Response *fsrv_body_endless(struct fsrv_stop *st)
{
	struct body *b = calloc(1, sizeof *b);

	if (!b)
		return NULL;
	b->fd = -1;
	b->endless = true;
	b->st = st;
	return body_reader(b);
}
