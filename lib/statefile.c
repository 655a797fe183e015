#include "statefile.h"
#include "dirlock.h"
#include "error.h"
#include "hash.h"
#include "hex.h"
#include "outfile.h"
#include "subdir.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_HEADER "# fetchpool state 1\n"
/* A record line is at most a 255-byte name, a 511-byte ETag and a 63-byte
 * date, each at most 4 bytes per byte once escaped, plus a size: 4 KiB
 * would do; anything longer is garbage and skipped. */
#define STATE_LINE_MAX 8192
#define STATE_NAME_MAX 4096
#define STATE_MIN_BUCKETS 64

struct state_entry {
	struct state_entry *next;
	uint64_t hash;
	int64_t size;
	char *etag;  /* NULL when absent */
	char *lm;    /* NULL when absent */
	/* Set or removed by this process since the last save: what a save
	 * lays over the records other runs saved meanwhile. */
	unsigned char touched;
	unsigned char dead; /* removed: kept until saved, not visible */
	unsigned char unsettled; /* state_unsettled() when checked */
	unsigned checked; /* the save that asked it (fp_statefile.saves) */
	char name[]; /* NUL-terminated */
};

struct fp_statefile {
	pthread_mutex_t lock;
	int dirfd; /* borrowed */
	struct state_entry **buckets;
	size_t nbuckets; /* a power of two */
	size_t count;   /* live records */
	size_t entries; /* records in the table, dead ones included */
	size_t skipped;
	int dirty;
	/* The journal (fp_statefile_journal()): every change is appended
	 * to FP_STATEFILE_JOURNAL as it is made. */
	int journaling;
	int jdurable; /* fdatasync each record (--fsync) */
	int jfd;      /* open lazily at the first record, -1 before */
	size_t jreplayed; /* journal records applied by the loads */
	unsigned saves; /* saves begun, so that a check is asked once each */
	/* While a save reads the directory's files into a table of its
	 * own: the table being saved, whose records' checks it shares. */
	struct fp_statefile *mine;
};

/* ---- Validation and hashing ------------------------------------------- */

static int state_name_ok(const char *name)
{
	/* "NAME" or "SUB/NAME" (the list file's dir=): never out of the
	 * directory. */
	return fp_subdir_path_ok(name) && strlen(name) < STATE_NAME_MAX;
}

/* A validator is echoed back in a request header: refuse control bytes
 * (CR and LF above all) and anything that would have to be cut. */
static int state_value_ok(const char *v, size_t cap)
{
	size_t i;

	for (i = 0; v[i]; i++) {
		unsigned char c = (unsigned char)v[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f || i + 1 >= cap)
			return 0;
	}
	return 1;
}

/* ---- The table (callers hold the lock) -------------------------------- */

static struct state_entry **state_slot(struct fp_statefile *s,
				       const char *name, uint64_t h)
{
	struct state_entry **pp = &s->buckets[h & (s->nbuckets - 1)];

	while (*pp && ((*pp)->hash != h || strcmp((*pp)->name, name) != 0))
		pp = &(*pp)->next;
	return pp;
}

static void state_entry_free(struct state_entry *e)
{
	free(e->etag);
	free(e->lm);
	free(e);
}

static int state_grow(struct fp_statefile *s)
{
	size_t n = s->nbuckets * 2, i;
	struct state_entry **b = calloc(n, sizeof(*b));

	if (!b)
		return FP_ENOMEM;
	for (i = 0; i < s->nbuckets; i++) {
		struct state_entry *e = s->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(s->buckets);
	s->buckets = b;
	s->nbuckets = n;
	return FP_OK;
}

static int state_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Store a record; etag and lm are already validated (NULL = absent).
 * Sets *changed when the table differs afterwards. touch marks the record
 * as this process's (fp_statefile_set), which a save lays over the file. */
static int state_put(struct fp_statefile *s, const char *name,
		     const char *etag, const char *lm, int64_t size,
		     int touch, int *changed)
{
	uint64_t h = fp_fnv1a64_str(name);
	struct state_entry **pp = state_slot(s, name, h), *e;
	char *et = NULL, *l = NULL;
	size_t len;

	*changed = 0;
	if (size < 0)
		size = -1;
	e = *pp;
	if (e && !e->dead && e->size == size && state_streq(e->etag, etag) &&
	    state_streq(e->lm, lm)) {
		/* The same values, now this run's: should a save happen,
		 * they win over another run's. Nothing to save for them. */
		if (touch)
			e->touched = 1;
		return FP_OK;
	}
	if ((etag && !(et = strdup(etag))) || (lm && !(l = strdup(lm)))) {
		free(et);
		return FP_ENOMEM;
	}
	if (!e) {
		len = strlen(name);
		e = malloc(sizeof(*e) + len + 1);
		if (!e) {
			free(et);
			free(l);
			return FP_ENOMEM;
		}
		memcpy(e->name, name, len + 1);
		e->hash = h;
		e->etag = e->lm = NULL;
		e->next = NULL;
		e->touched = 0;
		e->dead = 0;
		e->unsettled = 0;
		e->checked = 0;
		*pp = e;
		s->count++;
		s->entries++;
	} else if (e->dead) {
		e->dead = 0;
		s->count++;
	}
	if (touch)
		e->touched = 1;
	free(e->etag);
	free(e->lm);
	e->etag = et;
	e->lm = l;
	e->size = size;
	*changed = 1;
	/* Growing can fail harmlessly: chains just get longer. */
	if (s->entries > s->nbuckets)
		(void)state_grow(s);
	return FP_OK;
}

static void state_journal_append(struct fp_statefile *s, const char *name,
				 const char *etag, const char *lm,
				 int64_t size, int removed);

/* ---- Public API: table -------------------------------------------------- */

int fp_statefile_create(int dirfd, struct fp_statefile **out)
{
	struct fp_statefile *s;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return FP_ENOMEM;
	s->buckets = calloc(STATE_MIN_BUCKETS, sizeof(*s->buckets));
	if (!s->buckets || pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s->buckets);
		free(s);
		return FP_ENOMEM;
	}
	s->nbuckets = STATE_MIN_BUCKETS;
	s->dirfd = dirfd;
	s->jfd = -1;
	*out = s;
	return FP_OK;
}

void fp_statefile_free(struct fp_statefile *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nbuckets; i++) {
		struct state_entry *e = s->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			state_entry_free(e);
		}
	}
	free(s->buckets);
	if (s->jfd >= 0)
		close(s->jfd);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static void state_copy(char *dst, const char *src, size_t cap)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= cap) /* cannot happen: values are checked on entry */
		len = 0;
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

int fp_statefile_get(struct fp_statefile *s, const char *name,
		     struct fp_state_rec *rec)
{
	struct state_entry *e;
	int rc = FP_ENOENT;

	rec->etag[0] = '\0';
	rec->last_modified[0] = '\0';
	rec->size = -1;
	if (!state_name_ok(name))
		return FP_ENOENT;
	pthread_mutex_lock(&s->lock);
	e = *state_slot(s, name, fp_fnv1a64_str(name));
	if (e && !e->dead) {
		state_copy(rec->etag, e->etag, sizeof(rec->etag));
		state_copy(rec->last_modified, e->lm,
			   sizeof(rec->last_modified));
		rec->size = e->size;
		rc = FP_OK;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int fp_statefile_set(struct fp_statefile *s, const char *name,
		     const char *etag, const char *last_modified,
		     int64_t size)
{
	int rc, changed;

	if (!state_name_ok(name))
		return FP_EINVAL;
	if (etag && (!*etag || !state_value_ok(etag, FP_STATE_ETAG_MAX)))
		etag = NULL;
	if (last_modified && (!*last_modified ||
			      !state_value_ok(last_modified,
					      FP_STATE_DATE_MAX)))
		last_modified = NULL;
	pthread_mutex_lock(&s->lock);
	rc = state_put(s, name, etag, last_modified, size, 1, &changed);
	if (changed) {
		s->dirty = 1;
		state_journal_append(s, name, etag, last_modified, size, 0);
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int fp_statefile_remove(struct fp_statefile *s, const char *name)
{
	struct state_entry **pp, *e;
	int rc = FP_ENOENT;

	if (!state_name_ok(name))
		return FP_ENOENT;
	pthread_mutex_lock(&s->lock);
	pp = state_slot(s, name, fp_fnv1a64_str(name));
	e = *pp;
	if (e && !e->dead) {
		/* Kept as a tombstone until the save, which removes the
		 * name from the file too. */
		e->dead = 1;
		e->touched = 1;
		s->count--;
		s->dirty = 1;
		state_journal_append(s, name, NULL, NULL, -1, 1);
		rc = FP_OK;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

size_t fp_statefile_count(struct fp_statefile *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->count;
	pthread_mutex_unlock(&s->lock);
	return n;
}

size_t fp_statefile_skipped(struct fp_statefile *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->skipped;
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* ---- Loading ------------------------------------------------------------ */

/* Unescape field [p, end) in place into dst (which may be p itself).
 * Returns 0, or -1 for a raw control byte, a bad escape or an escaped NUL:
 * no name or validator can contain those. */
static int state_unescape(char *dst, const char *p, const char *end)
{
	while (p < end) {
		unsigned char c = (unsigned char)*p++;

		if (c < 0x20 || c == 0x7f)
			return -1;
		if (c == '\\') {
			int hi, lo;

			if (p < end && *p == '\\') {
				*dst++ = '\\';
				p++;
				continue;
			}
			if (end - p < 3 || p[0] != 'x')
				return -1;
			hi = fp_hex_digit((unsigned char)p[1]);
			lo = fp_hex_digit((unsigned char)p[2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			p += 3;
		}
		*dst++ = (char)c;
	}
	*dst = '\0';
	return 0;
}

static int state_parse_size(const char *p, int64_t *size)
{
	int64_t v = 0;

	if (!*p) {
		*size = -1;
		return 0;
	}
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*size = v;
	return 0;
}

/* Forget name outright (a removal replayed from the journal). */
static void state_drop(struct fp_statefile *s, const char *name)
{
	struct state_entry **pp = state_slot(s, name, fp_fnv1a64_str(name));
	struct state_entry *e = *pp;

	if (!e)
		return;
	*pp = e->next;
	if (!e->dead)
		s->count--;
	s->entries--;
	state_entry_free(e);
}

/* Both NAME and NAME.part are in the directory: a record written for
 * the .part (a new version being fetched, or fetched whole but not yet
 * renamed when the run died) may not describe NAME, and If-None-Match
 * with it would keep a stale NAME for good. Such a record is not
 * trusted: the older one stays, and NAME is checked against that. */
static int state_unsettled(int dirfd, const char *name)
{
	struct stat st;
	char part[STATE_NAME_MAX + sizeof(FP_OUTFILE_SUFFIX)];

	/* NAME.part first: after a good run it is the one that is missing,
	 * so one system call answers. */
	snprintf(part, sizeof(part), "%s%s", name, FP_OUTFILE_SUFFIX);
	if (fstatat(dirfd, part, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* state_unsettled() for NAME, asked once per save for a record of OWN
 * (the table being saved; E its entry, or NULL to look it up): the
 * journal replay and the overlay both ask it for every record this run
 * wrote, and at the end of a run over N files that was 4 N fstatat()
 * calls on the main thread. OWN NULL: no memory, just ask. */
static int state_check(struct fp_statefile *own, int dirfd, const char *name,
		       struct state_entry *e)
{
	if (own && !e)
		e = *state_slot(own, name, fp_fnv1a64_str(name));
	if (!own || !e || !e->touched)
		return state_unsettled(dirfd, name);
	if (e->checked != own->saves) {
		e->unsettled = (unsigned char)state_unsettled(dirfd, name);
		e->checked = own->saves;
	}
	return e->unsettled;
}

/* The check value that ends a journal record: 8 hex digits of the
 * FNV-1a of everything before the tab that precedes it. */
static uint32_t state_jsum(const char *p, size_t len)
{
	uint64_t h = fp_fnv1a64(p, len);

	return (uint32_t)(h ^ (h >> 32));
}

/* Parse one line (len bytes, no newline; may hold NUL bytes) and store
 * it. A journal line ends in a check value and may be a removal (SIZE
 * "-"). Returns 0, 1 when the line is malformed, or FP_ENOMEM. */
static int state_parse_line(struct fp_statefile *s, char *line, size_t len,
			    int journal)
{
	char *field[4], *p = line, *end = line + len;
	int64_t size;
	int n = 0, changed;

	if (memchr(line, '\0', len))
		return 1;
	line[len] = '\0';
	if (journal) {
		char *tab = strrchr(line, '\t'), *q;
		unsigned long sum;

		if (!tab || strlen(tab + 1) != 8)
			return 1;
		sum = strtoul(tab + 1, &q, 16);
		if (*q || sum != state_jsum(line, (size_t)(tab - line)))
			return 1;
		*tab = '\0';
		end = tab;
	}
	field[n++] = p;
	for (; p < end; p++) {
		if (*p != '\t')
			continue;
		if (n == 4)
			return 1;
		*p = '\0';
		field[n++] = p + 1;
	}
	if (n != 4)
		return 1;
	for (n = 0; n < 4; n++)
		if (state_unescape(field[n], field[n],
				   field[n] + strlen(field[n])) < 0)
			return 1;
	if (!state_name_ok(field[0]))
		return 1;
	if (journal && strcmp(field[1], "-") == 0) {
		state_drop(s, field[0]);
		return 0;
	}
	if (state_parse_size(field[1], &size) < 0)
		return 1;
	if (!state_value_ok(field[2], FP_STATE_ETAG_MAX) ||
	    !state_value_ok(field[3], FP_STATE_DATE_MAX))
		return 1;
	if (journal && state_check(s->mine, s->dirfd, field[0], NULL))
		return 0;
	if (state_put(s, field[0], *field[2] ? field[2] : NULL,
		      *field[3] ? field[3] : NULL, size, 0, &changed) != FP_OK)
		return FP_ENOMEM;
	return 0;
}

/* Open name in the directory for reading: -1 and errno (ENOENT when it
 * is not there; EINVAL when it is not a regular file). */
static int state_open_read(struct fp_statefile *s, const char *name)
{
	struct stat st;
	int fd, saved;

	fd = openat(s->dirfd, name,
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	/* A FIFO or device planted at the name is not a state file. */
	if (fstat(fd, &st) < 0)
		saved = errno;
	else if (!S_ISREG(st.st_mode))
		saved = EINVAL;
	else
		return fd;
	close(fd);
	errno = saved;
	return -1;
}

/* Read the lines of fd (consumed) into s. journal: the lines are journal
 * records; one without its newline (the last, torn by a crash) or with a
 * wrong check value is ignored, not counted as skipped. */
static int state_read(struct fp_statefile *s, int fd, int journal)
{
	char *line;
	size_t len = 0;
	int c, too_long = 0, rc = FP_OK, saved = 0;
	FILE *f;

	f = fdopen(fd, "r");
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
		return FP_EIO;
	}
	line = malloc(STATE_LINE_MAX + 1);
	if (!line) {
		fclose(f);
		return FP_ENOMEM;
	}
	pthread_mutex_lock(&s->lock);
	/* Byte by byte with a fixed buffer: a hostile file with a gigabyte
	 * on one line costs no memory, and NUL bytes are seen. */
	for (;;) {
		c = getc_unlocked(f);
		if (c != EOF && c != '\n') {
			if (len < STATE_LINE_MAX)
				line[len++] = (char)c;
			else
				too_long = 1;
			continue;
		}
		if (journal && c == EOF) {
			/* No newline: a record torn by a crash. */
		} else if (too_long) {
			if (!journal)
				s->skipped++;
		} else if (len > 0 && line[0] != '#') {
			int r = state_parse_line(s, line, len, journal);

			if (r == FP_ENOMEM) {
				rc = FP_ENOMEM;
				break;
			}
			if (r && !journal)
				s->skipped++;
			if (!r && journal)
				s->jreplayed++;
		}
		len = 0;
		too_long = 0;
		if (c == EOF)
			break;
	}
	if (rc == FP_OK && ferror(f)) {
		rc = FP_EIO;
		saved = errno;
	}
	if (journal && s->jreplayed)
		s->dirty = 1; /* fold the journal into the file at the save */
	pthread_mutex_unlock(&s->lock);
	free(line);
	fclose(f);
	if (rc == FP_EIO)
		errno = saved;
	return rc;
}

int fp_statefile_load(struct fp_statefile *s)
{
	int fd, rc = FP_OK;

	fd = state_open_read(s, FP_STATEFILE_NAME);
	if (fd >= 0)
		rc = state_read(s, fd, 0);
	else if (errno != ENOENT)
		rc = FP_EIO;
	/* The records appended since the file was last written are newer:
	 * laid over it. An unreadable journal is no reason to drop the
	 * file's records. */
	if (rc != FP_ENOMEM) {
		int saved = errno, jrc = FP_OK;

		fd = state_open_read(s, FP_STATEFILE_JOURNAL);
		if (fd >= 0)
			jrc = state_read(s, fd, 1);
		if (jrc == FP_ENOMEM)
			return jrc;
		errno = saved;
	}
	return rc;
}

/* ---- The journal -------------------------------------------------------- */

/* Escape v into dst (room for 4 bytes per byte), as state_put_escaped. */
static char *state_esc(char *dst, const char *v)
{
	static const char hex[] = "0123456789abcdef";

	for (; v && *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\\') {
			*dst++ = '\\';
			*dst++ = '\\';
		} else if (c < 0x20 || c == 0x7f || c == '#') {
			*dst++ = '\\';
			*dst++ = 'x';
			*dst++ = hex[c >> 4];
			*dst++ = hex[c & 15];
		} else {
			*dst++ = (char)c;
		}
	}
	return dst;
}

/* Open the journal for appending (lock held). A last line without its
 * newline (torn by a crash) is ended first, so that the next record is
 * not glued to it. */
static int state_journal_open(struct fp_statefile *s)
{
	struct stat st;
	char c;
	int fd;

	fd = openat(s->dirfd, FP_STATEFILE_JOURNAL,
		    O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
			    O_NONBLOCK,
		    0644);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	if (st.st_size > 0 && pread(fd, &c, 1, st.st_size - 1) == 1 &&
	    c != '\n' && write(fd, "\n", 1) != 1) {
		close(fd);
		return -1;
	}
	s->jfd = fd;
	return 0;
}

static void state_flock(int fd, int op)
{
	while (flock(fd, op) < 0 && errno == EINTR)
		;
}

/* Append one record (lock held): one write() of one whole line, under a
 * shared flock() of the journal so that a save folding it (exclusive)
 * never truncates a record it has not read. Failures only cost the
 * record: the save at the end of the run still has it. */
static void state_journal_append(struct fp_statefile *s, const char *name,
				 const char *etag, const char *lm,
				 int64_t size, int removed)
{
	size_t cap = 4 * (strlen(name) + (etag ? strlen(etag) : 0) +
			  (lm ? strlen(lm) : 0)) + 48;
	char *line, *p;
	ssize_t n;
	int saved = errno;

	if (!s->journaling)
		return;
	if (s->jfd < 0 && state_journal_open(s) < 0) {
		s->journaling = 0; /* do not retry for every record */
		errno = saved;
		return;
	}
	line = malloc(cap);
	if (!line)
		return;
	p = state_esc(line, name);
	*p++ = '\t';
	if (removed)
		*p++ = '-';
	else if (size >= 0)
		p += sprintf(p, "%lld", (long long)size);
	*p++ = '\t';
	p = state_esc(p, etag);
	*p++ = '\t';
	p = state_esc(p, lm);
	p += sprintf(p, "\t%08lx\n",
		     (unsigned long)state_jsum(line, (size_t)(p - line)));
	state_flock(s->jfd, LOCK_SH);
	n = write(s->jfd, line, (size_t)(p - line));
	if (n >= 0 && n < p - line)
		(void)!write(s->jfd, "\n", 1); /* end the torn record */
	if (s->jdurable)
		(void)fdatasync(s->jfd);
	state_flock(s->jfd, LOCK_UN);
	free(line);
	errno = saved;
}

int fp_statefile_journal(struct fp_statefile *s, int durable)
{
	pthread_mutex_lock(&s->lock);
	s->journaling = 1;
	s->jdurable = durable;
	pthread_mutex_unlock(&s->lock);
	return FP_OK;
}

/* ---- Saving ------------------------------------------------------------- */

/* '#' is escaped too, so that a name starting with it is not read back
 * as a comment. */
static void state_put_escaped(FILE *f, const char *v)
{
	for (; v && *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '\\')
			fputs("\\\\", f);
		else if (c < 0x20 || c == 0x7f || c == '#')
			fprintf(f, "\\x%02x", c);
		else
			putc_unlocked(c, f);
	}
}

static int state_cmp(const void *a, const void *b)
{
	const struct state_entry *x = *(const struct state_entry *const *)a;
	const struct state_entry *y = *(const struct state_entry *const *)b;

	return strcmp(x->name, y->name);
}

static int state_write(struct fp_statefile *s, FILE *f)
{
	struct state_entry **all = NULL, *e;
	size_t i, n = 0;

	if (s->count) {
		all = malloc(s->count * sizeof(*all));
		if (!all)
			return FP_ENOMEM;
		for (i = 0; i < s->nbuckets; i++)
			for (e = s->buckets[i]; e; e = e->next)
				if (!e->dead && n < s->count)
					all[n++] = e;
		/* Sorted output: reruns give the same file, diffs stay
		 * readable. */
		qsort(all, n, sizeof(*all), state_cmp);
	}
	fputs(STATE_HEADER, f);
	for (i = 0; i < n; i++) {
		e = all[i];
		state_put_escaped(f, e->name);
		putc_unlocked('\t', f);
		if (e->size >= 0)
			fprintf(f, "%lld", (long long)e->size);
		putc_unlocked('\t', f);
		state_put_escaped(f, e->etag);
		putc_unlocked('\t', f);
		state_put_escaped(f, e->lm);
		putc_unlocked('\n', f);
	}
	free(all);
	return FP_OK;
}

/* Lay the records this process touched over m (the file as it is now):
 * ours win for those names, every other record stays as saved. */
static int state_overlay(struct fp_statefile *m, struct fp_statefile *s)
{
	struct state_entry *e, **pp, *x;
	size_t i;
	int changed, rc;

	for (i = 0; i < s->nbuckets; i++) {
		for (e = s->buckets[i]; e; e = e->next) {
			if (!e->touched)
				continue;
			if (!e->dead) {
				/* Not trusted while NAME.part is beside
				 * NAME: the file's record stays. */
				if (state_check(s, m->dirfd, e->name, e))
					continue;
				rc = state_put(m, e->name, e->etag, e->lm,
					       e->size, 0, &changed);
				if (rc)
					return rc;
				continue;
			}
			pp = state_slot(m, e->name, e->hash);
			x = *pp;
			if (x) {
				*pp = x->next;
				state_entry_free(x);
				m->count--;
				m->entries--;
			}
		}
	}
	return FP_OK;
}

/* After a save: nothing is this run's any more, tombstones go. */
static void state_settle(struct fp_statefile *s)
{
	struct state_entry **pp, *e;
	size_t i;

	for (i = 0; i < s->nbuckets; i++) {
		pp = &s->buckets[i];
		while ((e = *pp) != NULL) {
			e->touched = 0;
			if (e->dead) {
				*pp = e->next;
				state_entry_free(e);
				s->entries--;
				continue;
			}
			pp = &e->next;
		}
	}
	s->dirty = 0;
}

/* The state lock, held for a save's read-merge-rename, so that runs
 * sharing the directory (shards) save one after the other and none
 * loses another's records. -1 with errno set. */
static int state_lock(int dirfd)
{
	int fd, rc, saved;

	fd = fp_dirlock_open_file(dirfd, FP_STATEFILE_LOCK);
	if (fd < 0)
		return -1;
	/* Blocking: a holder keeps it for one small file's write. */
	do {
		rc = flock(fd, LOCK_EX);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int fp_statefile_save(struct fp_statefile *s)
{
	struct fp_statefile *m = NULL;
	FILE *f = NULL;
	int fd = -1, lockfd = -1, jfd = -1, rc = FP_OK, saved = 0;

	pthread_mutex_lock(&s->lock);
	if (!s->dirty)
		goto out;
	lockfd = state_lock(s->dirfd);
	if (lockfd < 0)
		goto fail;
	/* The journal, exclusively: every record in it (this run's and
	 * those of the runs sharing the directory, which append under a
	 * shared lock) goes into the file, and it is emptied after the
	 * rename with no record appended in between. */
	jfd = s->jfd;
	if (jfd < 0) {
		struct stat st;

		jfd = openat(s->dirfd, FP_STATEFILE_JOURNAL,
			     O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (jfd >= 0 && (fstat(jfd, &st) < 0 || !S_ISREG(st.st_mode))) {
			close(jfd);
			jfd = -1;
		}
	}
	if (jfd >= 0)
		state_flock(jfd, LOCK_EX);
	/* The file as the other runs left it, under the lock: a record
	 * saved by a shard since this run loaded is kept. An unreadable
	 * file is replaced, as before merging existed. */
	rc = fp_statefile_create(s->dirfd, &m);
	if (rc)
		goto fail_rc;
	s->saves++;
	if (!s->saves) /* wrapped: 0 is "never checked" */
		s->saves = 1;
	m->mine = s;
	rc = fp_statefile_load(m);
	if (rc == FP_ENOMEM)
		goto fail_rc;
	rc = state_overlay(m, s);
	if (rc)
		goto fail_rc;
	/* A leftover from a crashed run, or anything planted there, goes
	 * first; O_EXCL|O_NOFOLLOW then guarantee a fresh regular file. */
	if (unlinkat(s->dirfd, FP_STATEFILE_TMP, 0) < 0 && errno != ENOENT)
		goto fail;
	fd = openat(s->dirfd, FP_STATEFILE_TMP,
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		    0644);
	if (fd < 0)
		goto fail;
	f = fdopen(fd, "w");
	if (!f)
		goto fail;
	fd = -1; /* now owned by f */
	rc = state_write(m, f);
	if (rc != FP_OK)
		goto fail_rc;
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0)
		goto fail;
	if (fclose(f) != 0) {
		f = NULL;
		goto fail;
	}
	f = NULL;
	if (renameat(s->dirfd, FP_STATEFILE_TMP, s->dirfd,
		     FP_STATEFILE_NAME) < 0)
		goto fail;
	state_settle(s);
	/* Make the rename itself durable; the state is already consistent
	 * if this fails, so it is not an error. */
	if (s->dirfd == AT_FDCWD) {
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
	} else {
		(void)fsync(s->dirfd);
	}
	fd = -1;
	/* Folded: only now, with the new file durable, is the journal
	 * emptied. A crash before this replays it again, harmlessly: its
	 * records are in the file already. */
	if (jfd >= 0)
		(void)!ftruncate(jfd, 0);
	goto out;

fail:
	rc = FP_EIO;
fail_rc:
	saved = errno;
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (lockfd >= 0)
		unlinkat(s->dirfd, FP_STATEFILE_TMP, 0);
out:
	fp_statefile_free(m);
	if (jfd >= 0) {
		state_flock(jfd, LOCK_UN);
		if (jfd != s->jfd)
			close(jfd);
	}
	if (lockfd >= 0)
		close(lockfd); /* releases the state lock, after the rename */
	pthread_mutex_unlock(&s->lock);
	if (rc != FP_OK)
		errno = saved;
	return rc;
}
