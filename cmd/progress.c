#include "progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fetchpool.h"
#include "units.h"

#define PROGRESS_LINE_MAX 512
#define PROGRESS_PLAIN_MAX_MS 60000

struct fp_progress {
	pthread_mutex_t mu;
	enum fp_progress_mode mode;
	FILE *err;
	const char *unit;
	int out_shares_tty;
	int colour;
	int finished;
	int64_t t0, next;
	/* consumer's counters */
	uint64_t done, total;
	int total_known;
	int64_t bytes;
	unsigned in_flight;
	/* the live line as last drawn, redrawn after another line */
	char line[PROGRESS_LINE_MAX];
	int drawn;
	unsigned width; /* the terminal's, at the last tick */
};

enum fp_progress_mode fp_progress_pick(int opt, int quiet, int err_is_tty,
				       const char *term)
{
	int dumb = term && !strcmp(term, "dumb");

	if (opt == 0 || (opt < 0 && (quiet || !err_is_tty)))
		return FP_PROGRESS_OFF;
	return err_is_tty && !dumb ? FP_PROGRESS_LIVE : FP_PROGRESS_PLAIN;
}

int fp_progress_create(struct fp_progress **out, enum fp_progress_mode mode,
		       FILE *err, const char *unit, int out_shares_tty,
		       int colour)
{
	struct fp_progress *p;

	*out = NULL;
	if (mode == FP_PROGRESS_OFF)
		return FP_OK;
	p = calloc(1, sizeof(*p));
	if (!p)
		return FP_ENOMEM;
	pthread_mutex_init(&p->mu, NULL);
	p->mode = mode;
	p->err = err;
	p->unit = unit;
	p->out_shares_tty = out_shares_tty && mode == FP_PROGRESS_LIVE;
	p->colour = colour && mode == FP_PROGRESS_LIVE;
	p->t0 = fp_now_ms();
	p->next = p->t0 + (mode == FP_PROGRESS_LIVE ? FP_PROGRESS_LIVE_MS
						    : FP_PROGRESS_PLAIN_MS);
	*out = p;
	return FP_OK;
}

static void progress_snap(struct fp_progress *p, int64_t now,
			  struct fp_progress_snap *s);

int fp_progress_covers(const struct fp_progress *p, FILE *f)
{
	/* Plain lines are whole lines: nothing to clear. */
	if (!p || p->mode != FP_PROGRESS_LIVE)
		return 0;
	return f == p->err || p->out_shares_tty;
}

void fp_progress_update(struct fp_progress *p, uint64_t done,
			uint64_t total, int total_known, int64_t bytes,
			unsigned in_flight)
{
	struct fp_progress_snap s;
	char line[PROGRESS_LINE_MAX];

	if (!p)
		return;
	/* Only the consumer writes these. */
	p->in_flight = in_flight;
	if (p->done == done && p->total == total &&
	    p->total_known == total_known && p->bytes == bytes)
		return;
	p->done = done;
	p->total = total;
	p->total_known = total_known;
	p->bytes = bytes;
	if (p->mode != FP_PROGRESS_LIVE || !p->drawn || p->finished)
		return;
	/* Fresh counts for the next redraw: a line printed below the
	 * status line is followed by the counts it changed, not by the
	 * last tick's. */
	progress_snap(p, fp_now_ms(), &s);
	fp_progress_format_live(line, sizeof(line), &s, p->width, p->colour);
	pthread_mutex_lock(&p->mu);
	memcpy(p->line, line, sizeof(line));
	pthread_mutex_unlock(&p->mu);
}

int64_t fp_progress_next_ms(const struct fp_progress *p)
{
	return p && !p->finished ? p->next : -1;
}

/* The terminal's width, 80 when it does not say. */
static unsigned progress_width(FILE *f)
{
	struct winsize ws;

	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static void progress_snap(struct fp_progress *p, int64_t now,
			  struct fp_progress_snap *s)
{
	s->done = p->done;
	s->total = p->total;
	s->total_known = p->total_known;
	s->bytes = p->bytes;
	s->elapsed_ms = now - p->t0;
	s->in_flight = p->in_flight;
	s->unit = p->unit;
}

void fp_progress_tick(struct fp_progress *p, int64_t now)
{
	struct fp_progress_snap s;
	char line[PROGRESS_LINE_MAX];
	int64_t period;

	if (!p || p->finished || now < p->next)
		return;
	progress_snap(p, now, &s);
	if (p->mode == FP_PROGRESS_LIVE) {
		p->width = progress_width(p->err);
		fp_progress_format_live(line, sizeof(line), &s, p->width,
					p->colour);
		pthread_mutex_lock(&p->mu);
		memcpy(p->line, line, sizeof(line));
		fprintf(p->err, "\r%s\033[K", p->line);
		fflush(p->err);
		p->drawn = 1;
		pthread_mutex_unlock(&p->mu);
		p->next = now + FP_PROGRESS_LIVE_MS;
		return;
	}
	fp_progress_format_plain(line, sizeof(line), &s);
	pthread_mutex_lock(&p->mu);
	fprintf(p->err, "%s\n", line);
	fflush(p->err);
	pthread_mutex_unlock(&p->mu);
	/* Every 3 s at first, then every tenth of the time so far, at most a
	 * minute apart: a long run's log stays readable. */
	period = s.elapsed_ms / 10;
	if (period < FP_PROGRESS_PLAIN_MS)
		period = FP_PROGRESS_PLAIN_MS;
	if (period > PROGRESS_PLAIN_MAX_MS)
		period = PROGRESS_PLAIN_MAX_MS;
	p->next = now + period;
}

void fp_progress_hide(struct fp_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	if (p->drawn) {
		fputs("\r\033[K", p->err);
		fflush(p->err);
	}
}

void fp_progress_show(struct fp_progress *p)
{
	if (!p)
		return;
	if (p->drawn) {
		fprintf(p->err, "\r%s\033[K", p->line);
		fflush(p->err);
	}
	pthread_mutex_unlock(&p->mu);
}

void fp_progress_finish(struct fp_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	if (p->drawn) {
		fputs("\r\033[K", p->err);
		fflush(p->err);
	}
	p->drawn = 0;
	p->finished = 1;
	pthread_mutex_unlock(&p->mu);
}

void fp_progress_destroy(struct fp_progress *p)
{
	if (!p)
		return;
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* ---- formatting ------------------------------------------------------ */

char *fp_progress_duration(int64_t ms, char *buf, size_t len)
{
	int64_t s = ms < 0 ? 0 : ms / 1000;

	if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(s / 60),
			 (long long)(s % 60));
	else
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
			 (long long)(s / 60 % 60));
	return buf;
}

static void progress_counts(char *buf, size_t len,
			    const struct fp_progress_snap *s)
{
	if (s->total_known)
		snprintf(buf, len, "%llu/%llu", (unsigned long long)s->done,
			 (unsigned long long)s->total);
	else
		snprintf(buf, len, "%llu/?", (unsigned long long)s->done);
}

static int64_t progress_rate(const struct fp_progress_snap *s)
{
	if (s->elapsed_ms <= 0)
		return 0;
	return (int64_t)((double)s->bytes * 1000.0 / (double)s->elapsed_ms);
}

size_t fp_progress_format_plain(char *buf, size_t len,
				const struct fp_progress_snap *s)
{
	char counts[48], bytes[32], rate[32], el[16];
	int n;

	progress_counts(counts, sizeof(counts), s);
	n = snprintf(buf, len, "[%s] %s %s, %s, %s/s",
		     fp_progress_duration(s->elapsed_ms, el, sizeof(el)),
		     counts, s->unit, fp_units_bytes(s->bytes, bytes,
						   sizeof(bytes)),
		     fp_units_bytes(progress_rate(s), rate, sizeof(rate)));
	if (n < 0)
		n = 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

size_t fp_progress_format_live(char *buf, size_t len,
			       const struct fp_progress_snap *s,
			       unsigned width, int colour)
{
	char counts[48], bytes[32], rate[32], el[16], eta[24];
	char text[PROGRESS_LINE_MAX];
	size_t n, cn, cols = width > 1 ? width - 1 : 1;

	progress_counts(counts, sizeof(counts), s);
	if (s->total_known && s->done >= s->total) {
		snprintf(eta, sizeof(eta), "0s");
	} else if (s->total_known && s->done > 0) {
		/* Jobs so far set the pace: sizes of the rest are unknown. */
		double left = (double)s->elapsed_ms *
			      (double)(s->total - s->done) / (double)s->done;

		fp_progress_duration((int64_t)left, eta, sizeof(eta));
	} else {
		snprintf(eta, sizeof(eta), "?");
	}
	snprintf(text, sizeof(text),
		 "%s %s, %s, %s/s, %s, ETA %s, %u in flight",
		 counts, s->unit,
		 fp_units_bytes(s->bytes, bytes, sizeof(bytes)),
		 fp_units_bytes(progress_rate(s), rate, sizeof(rate)),
		 fp_progress_duration(s->elapsed_ms, el, sizeof(el)), eta,
		 s->in_flight);
	n = strlen(text);
	if (n > cols)
		n = cols;
	text[n] = '\0';
	cn = strlen(counts);
	if (colour && n >= cn) {
		int w = snprintf(buf, len, "\033[1m%.*s\033[0m%s", (int)cn,
				 text, text + cn);

		if (w >= 0 && (size_t)w < len)
			return (size_t)w;
	}
	snprintf(buf, len, "%s", text);
	return strlen(buf);
}
