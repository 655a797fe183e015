/* Progress on stderr: a live status line on a terminal, refreshed a few
 * times a second with the event lines scrolling above it, or a plain line
 * every few seconds for logs (--progress when stderr is not a terminal).
 *
 * Threads: the consumer thread (the only one that owns the counters) calls
 * fp_progress_update() and fp_progress_tick(); any thread that writes a
 * line to the terminal brackets it with fp_progress_hide() and
 * fp_progress_show(), which take the progress lock, so a status line is
 * never drawn in the middle of another line. Lock order: the progress lock,
 * then the stdio stream's lock.
 *
 * Every function accepts NULL and then does nothing: when progress is off
 * (the default under -q or when stderr is not a terminal) it costs nothing
 * but a pointer test. */
#ifndef FP_PROGRESS_H
#define FP_PROGRESS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fp_progress;

enum fp_progress_mode {
	FP_PROGRESS_OFF,
	FP_PROGRESS_PLAIN, /* a whole line every few seconds */
	FP_PROGRESS_LIVE,  /* one line redrawn in place, \r and ESC [ K */
};

/* Refresh period of the live line, and the first period of plain lines. */
#define FP_PROGRESS_LIVE_MS 200
#define FP_PROGRESS_PLAIN_MS 3000

/* What one line shows. */
struct fp_progress_snap {
	uint64_t done;      /* jobs (or requests) finished, whatever the end */
	uint64_t total;     /* jobs known so far */
	int total_known;    /* the input is fully read: total is final */
	int64_t bytes;      /* body bytes received */
	int64_t elapsed_ms;
	unsigned in_flight; /* requests in flight now */
	const char *unit;   /* "files", "requests" */
};

/* The mode for the --progress / --no-progress setting OPT (-1 auto, 0 off,
 * 1 on), -q, whether stderr is a terminal and TERM. Auto means live on a
 * terminal and off elsewhere (and under -q); a terminal whose TERM is
 * "dumb" gets plain lines, since it cannot erase a line. */
enum fp_progress_mode fp_progress_pick(int opt, int quiet, int err_is_tty,
				       const char *term);

/* Create progress output in MODE on ERR. UNIT names what is counted.
 * OUT_SHARES_TTY: stdout
 * writes the same terminal, so its lines must clear the status line too.
 * COLOUR: bold counts (callers pass 0 when NO_COLOR is set). Returns FP_OK
 * and *out (NULL for FP_PROGRESS_OFF), or FP_ENOMEM. Not thread-safe. */
int fp_progress_create(struct fp_progress **out, enum fp_progress_mode mode,
		       FILE *err, const char *unit, int out_shares_tty,
		       int colour);

/* Whether lines written to F must be bracketed by hide/show. */
int fp_progress_covers(const struct fp_progress *p, FILE *f);

/* New counters (consumer thread), with the requests in flight now. */
void fp_progress_update(struct fp_progress *p, uint64_t done,
			uint64_t total, int total_known, int64_t bytes,
			unsigned in_flight);

/* Monotonic time (fp_now_ms) at which the next line is due, or -1 when P
 * is NULL: the consumer waits for events at most until then. */
int64_t fp_progress_next_ms(const struct fp_progress *p);

/* Draw if a line is due at NOW (monotonic ms). */
void fp_progress_tick(struct fp_progress *p, int64_t now);

/* Clear the live line and hold the progress lock; fp_progress_show()
 * redraws the last line and releases it. Any thread. */
void fp_progress_hide(struct fp_progress *p);
void fp_progress_show(struct fp_progress *p);

/* Erase the live line for good (before the summary); no line is drawn
 * after this. */
void fp_progress_finish(struct fp_progress *p);

/* Free. No other thread may use P any more. */
void fp_progress_destroy(struct fp_progress *p);

/* Formatting, exposed for tests. Both write a NUL-terminated line without
 * a newline into BUF (LEN >= 64) and return its length.
 *
 * Plain: "[12s] 45/100 files, 3.2 MB, 1.1 MB/s" ("45/?" while the total is
 * not known).
 * Live: "45/100 files, 3.2 MB, 1.1 MB/s, 12s, ETA 27s, 4 in flight", cut
 * to WIDTH - 1 visible columns so it never wraps; COLOUR makes the counts
 * bold (escape sequences do not count as columns). */
size_t fp_progress_format_plain(char *buf, size_t len,
				const struct fp_progress_snap *s);
size_t fp_progress_format_live(char *buf, size_t len,
			       const struct fp_progress_snap *s,
			       unsigned width, int colour);

/* A duration for humans: "12s", "2m05s", "1h02m". BUF >= 16 bytes. */
char *fp_progress_duration(int64_t ms, char *buf, size_t len);

#endif
