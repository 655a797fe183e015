/* Streaming parser of the books list file (format in listfile.h).
 *
 * Design: input is read in fixed chunks and split into lines of at most
 * FP_LISTFILE_LINE_MAX bytes; the rest of a longer line is counted and
 * dropped, never stored. Exactly one job is held back ("pending") because
 * its option lines follow it; it is handed out when the next job line or
 * the end of input arrives. So memory is two buffers and one job, whatever
 * the input. Error texts are built only from fixed phrases and validated
 * fragments (a scheme, a key), never from raw input, so neither credentials
 * nor terminal escapes can leak through them. */
#include "listfile.h"
#include "digest.h"
#include "error.h"
#include "names.h"
#include "url.h"
#include "utf8.h"

#include <limits.h>
#include <stdint.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LF_READ_CHUNK 16384
#define LF_KEYS "out, dir, priority, sha256, checksum, title, header, " \
	"strip, split"
#define LF_KEY_ECHO_MAX 32
/* Distinct ignored keys remembered for the warning; more are counted. */
#define LF_IGNORED_MAX 16
#define LF_SCHEME_ECHO_MAX 20

enum lf_opt {
	LF_OPT_OUT = 1 << 0,
	LF_OPT_PRIORITY = 1 << 1,
	LF_OPT_SHA256 = 1 << 2,
	LF_OPT_TITLE = 1 << 3,
	LF_OPT_HEADER = 1 << 4, /* repeatable */
	LF_OPT_STRIP = 1 << 5,
	LF_OPT_DIR = 1 << 6,
	LF_OPT_SPLIT = 1 << 7
};

/* An option key the parser ignored (another downloader's, aria2c's). */
struct lf_ignored {
	char key[LF_KEY_ECHO_MAX + 1];
	unsigned line; /* where it was first seen */
};

struct fp_listfile {
	FILE *in;
	char *name;
	unsigned lineno;
	int finished;      /* end of input or an error was returned */
	int status;        /* what to return once finished: 0 or FP_E* */
	int input_eof;     /* fread() saw the end */
	size_t rpos, rlen; /* unread part of rbuf */
	char *line;        /* FP_LISTFILE_LINE_MAX + 2 bytes */
	size_t len;
	int too_long;
	struct fp_listjob *pending;
	unsigned pending_opts; /* enum lf_opt bits already set */
	struct lf_ignored ignored[LF_IGNORED_MAX];
	size_t nignored;
	size_t ignored_more; /* distinct keys beyond LF_IGNORED_MAX */
	char rbuf[LF_READ_CHUNK];
};

int fp_listfile_open(struct fp_listfile **out, FILE *in, const char *name)
{
	struct fp_listfile *lf;

	if (!out || !in)
		return FP_EINVAL;
	*out = NULL;
	lf = calloc(1, sizeof(*lf));
	if (!lf)
		return FP_ENOMEM;
	lf->in = in;
	lf->name = strdup(name ? name : "-");
	lf->line = malloc(FP_LISTFILE_LINE_MAX + 2);
	if (!lf->name || !lf->line) {
		fp_listfile_close(lf);
		return FP_ENOMEM;
	}
	*out = lf;
	return FP_OK;
}

const char *fp_listfile_name(const struct fp_listfile *lf)
{
	return lf ? lf->name : NULL;
}

void fp_listjob_free(struct fp_listjob *job)
{
	if (!job)
		return;
	free(job->source);
	free(job->url);
	free(job->title);
	free(job->out);
	free(job->dir);
	free(job->error);
	while (job->nheaders)
		free(job->headers[--job->nheaders]);
	free(job->headers);
	while (job->nmirrors)
		free(job->mirrors[--job->nmirrors]);
	free(job->mirrors);
	free(job);
}

void fp_listfile_close(struct fp_listfile *lf)
{
	if (!lf)
		return;
	fp_listjob_free(lf->pending);
	free(lf->line);
	free(lf->name);
	free(lf);
}

/* Read the next line into lf->line (without its '\n'), keeping at most
 * FP_LISTFILE_LINE_MAX + 1 bytes and flagging longer ones. Returns 1 for a
 * line, 0 at the end of input, FP_EIO. */
static int lf_read_line(struct fp_listfile *lf)
{
	const size_t keep = FP_LISTFILE_LINE_MAX + 1;
	int got = 0;

	lf->len = 0;
	lf->too_long = 0;
	for (;;) {
		const char *start, *nl;
		size_t chunk, room;

		if (lf->rpos == lf->rlen) {
			if (lf->input_eof)
				break;
			lf->rpos = 0;
			lf->rlen = fread(lf->rbuf, 1, sizeof(lf->rbuf), lf->in);
			if (lf->rlen == 0) {
				if (ferror(lf->in))
					return FP_EIO;
				lf->input_eof = 1;
				break;
			}
		}
		got = 1;
		start = lf->rbuf + lf->rpos;
		nl = memchr(start, '\n', lf->rlen - lf->rpos);
		chunk = nl ? (size_t)(nl - start) : lf->rlen - lf->rpos;
		room = keep - lf->len;
		if (chunk > room) {
			lf->too_long = 1;
			memcpy(lf->line + lf->len, start, room);
			lf->len += room;
		} else {
			memcpy(lf->line + lf->len, start, chunk);
			lf->len += chunk;
		}
		lf->rpos += chunk;
		if (nl) {
			lf->rpos++;
			break;
		}
	}
	if (!got)
		return 0;
	if (!lf->too_long && lf->len > 0 && lf->line[lf->len - 1] == '\r')
		lf->len--;
	if (lf->len > FP_LISTFILE_LINE_MAX)
		lf->too_long = 1;
	lf->line[lf->len] = '\0';
	return 1;
}

static int lf_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Why a line cannot be used as text, or NULL: NUL bytes, invalid UTF-8,
 * control characters other than tab. */
static const char *lf_text_problem(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (memchr(s, '\0', len))
		return "NUL byte in line";
	while (i < len) {
		unsigned long cp;
		size_t n = fp_utf8_char(u + i, len - i, &cp);

		if (n == 0)
			return "invalid UTF-8";
		if (cp != '\t' && fp_utf8_is_control(cp))
			return "control character in line";
		i += n;
	}
	return NULL;
}

/* Set job->error (first problem wins). FP_ENOMEM if the copy fails. */
static int lf_fail(struct fp_listjob *job, unsigned line, const char *why)
{
	if (job->error)
		return FP_OK;
	job->error = strdup(why);
	if (!job->error)
		return FP_ENOMEM;
	job->err_line = line;
	return FP_OK;
}

static struct fp_listjob *lf_job_new(unsigned line)
{
	struct fp_listjob *job = calloc(1, sizeof(*job));

	if (job) {
		job->line = line;
		job->priority = FP_LISTFILE_PRIO_DEFAULT;
		job->strip = -1;
	}
	return job;
}

/* Copy [s, s + n) with tabs turned into spaces (for titles). */
static char *lf_text_dup(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++)
		out[i] = s[i] == '\t' ? ' ' : s[i];
	out[n] = '\0';
	return out;
}

static void lf_trim(const char **s, size_t *n)
{
	while (*n > 0 && lf_blank(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && lf_blank((*s)[*n - 1]))
		(*n)--;
}

/* Gutenberg ID: digits only, 1..2^31-1. Returns the ID or 0. */
static long lf_parse_id(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > INT32_MAX)
			return 0;
	}
	return v;
}

/* Build the job for a job line (already known to be valid text). */
/* Check URL TOKZ (TLEN bytes, malloc'd; taken over): on success *URL owns
 * it; else the job fails and *SHOWN may be replaced by a fully redacted
 * form. FP_OK or FP_ENOMEM. */
static int lf_url(struct fp_listjob *job, char *tokz, size_t tlen,
		  char **shown, char **url)
{
	char scheme[LF_SCHEME_ECHO_MAX + 1], why[160];
	const char *sch, *problem;
	int rc;

	sch = fp_url_scheme(tokz, tlen, scheme, sizeof(scheme));
	if (!sch) {
		rc = lf_fail(job, job->line,
			     "expected an http(s) URL or a Gutenberg ID");
	} else if (strcmp(sch, "http") != 0 && strcmp(sch, "https") != 0) {
		if (*sch)
			snprintf(why, sizeof(why),
				 "unsupported scheme '%s' (only http and "
				 "https)", sch);
		else
			snprintf(why, sizeof(why),
				 "unsupported scheme (only http and https)");
		rc = lf_fail(job, job->line, why);
	} else if ((problem = fp_url_problem(tokz, why, sizeof(why)))) {
		/* An unparsable URL may hide credentials where fp_url_redact()
		 * does not look (an '@' after a stray '/', '?' or '#'). */
		if (strchr(tokz, '@')) {
			char *r = malloc(strlen(sch) + sizeof("://(redacted)"));

			if (!r) {
				free(tokz);
				return FP_ENOMEM;
			}
			strcpy(r, sch);
			strcat(r, "://(redacted)");
			free(*shown);
			*shown = r;
		}
		rc = lf_fail(job, job->line, problem);
	} else {
		*url = tokz;
		return FP_OK;
	}
	free(tokz);
	return rc;
}



static int lf_mirror_line(struct fp_listjob *job, const char *s, size_t n);

/* Whether the next word of S (after blanks) reads as a URL: then a TAB
 * separates mirrors, else it separates the URL from its title. */
static int lf_url_follows(const char *s, size_t n)
{
	size_t i = 0, w;

	while (i < n && lf_blank(s[i]))
		i++;
	for (w = i; w < n && !lf_blank(s[w]); w++)
		;
	return w - i > 3 && memmem(s + i, w - i, "://", 3) != NULL;
}

static int lf_job_line(struct fp_listjob *job, const char *s, size_t n)
{
	const char *tok = s, *rest;
	size_t tlen = 0, rlen;
	char *tokz;

	while (tlen < n && !lf_blank(tok[tlen]))
		tlen++;
	if (tlen < n && tok[tlen] == '\t' &&
	    strspn(tok, "0123456789") != tlen &&
	    lf_url_follows(tok + tlen, n - tlen))
		return lf_mirror_line(job, s, n);
	rest = tok + tlen;
	rlen = n - tlen;
	lf_trim(&rest, &rlen);
	if (rlen > 0) {
		job->title = lf_text_dup(rest, rlen);
		if (!job->title)
			return FP_ENOMEM;
	}
	tokz = strndup(tok, tlen);
	if (!tokz)
		return FP_ENOMEM;

	if (strspn(tokz, "0123456789") == tlen) {
		job->source = tokz;
		job->id = lf_parse_id(tokz, tlen);
		if (job->id <= 0)
			return lf_fail(job, job->line,
				       "ID must be 1..2147483647");
		return FP_OK;
	}

	job->source = fp_url_redact(tokz);
	if (!job->source) {
		free(tokz);
		return FP_ENOMEM;
	}
	return lf_url(job, tokz, tlen, &job->source, &job->url);
}

/* A job line of several URLs of one file, TAB-separated (aria2c's input
 * format): "URL1<TAB>URL2...". The first names the file and is the
 * source; the title comes from a title= line. */
static int lf_mirror_line(struct fp_listjob *job, const char *s, size_t n)
{
	const char *end = s + n;

	while (s < end) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *f = s;
		size_t flen = (size_t)((tab ? tab : end) - s);
		char *tokz, *shown, **v;
		int rc;

		s = tab ? tab + 1 : end;
		lf_trim(&f, &flen);
		if (flen == 0)
			continue;
		if (job->nmirrors + 1 >= FP_LISTFILE_URLS_MAX)
			return lf_fail(job, job->line,
				       "too many URLs on one line (at most "
				       "16)");
		tokz = strndup(f, flen);
		shown = tokz ? fp_url_redact(tokz) : NULL;
		if (!shown) {
			free(tokz);
			return FP_ENOMEM;
		}
		if (!job->source) {
			job->source = shown;
			rc = lf_url(job, tokz, flen, &job->source, &job->url);
		} else {
			char *url = NULL;

			free(shown);
			shown = NULL;
			rc = lf_url(job, tokz, flen, &shown, &url);
			free(shown);
			if (rc == FP_OK && url) {
				v = realloc(job->mirrors,
					    (job->nmirrors + 1) * sizeof(*v));
				if (!v) {
					free(url);
					return FP_ENOMEM;
				}
				v[job->nmirrors++] = url;
				job->mirrors = v;
			}
		}
		if (rc != FP_OK || job->error)
			return rc;
	}
	if (!job->source)
		return lf_fail(job, job->line,
			       "expected an http(s) URL or a Gutenberg ID");
	return FP_OK;
}

/* header=Name: value, repeatable. The reason never quotes the value: it
 * may be a secret. */
static int lf_header(struct fp_listfile *lf, struct fp_listjob *job,
		     const char *val, size_t vlen)
{
	const char *problem;
	char why[160], **v;
	char *h;

	if (job->nheaders >= FP_LISTFILE_HEADERS_MAX)
		return lf_fail(job, lf->lineno,
			       "too many header lines (at most 64 a job)");
	h = strndup(val, vlen);
	if (!h)
		return FP_ENOMEM;
	/* strndup stops at a NUL; lf_text_problem() refused those. */
	problem = fp_header_problem(h);
	if (problem) {
		free(h);
		snprintf(why, sizeof(why), "header=: %s", problem);
		return lf_fail(job, lf->lineno, why);
	}
	v = realloc(job->headers, (job->nheaders + 1) * sizeof(*v));
	if (!v) {
		free(h);
		return FP_ENOMEM;
	}
	v[job->nheaders++] = h;
	job->headers = v;
	return FP_OK;
}

/* Whether [key, key + klen) is an option word that can be named in a
 * message: letters, digits, '-' and '_', at most LF_KEY_ECHO_MAX bytes. */
static int lf_key_word(const char *key, size_t klen)
{
	static const char word[] = "abcdefghijklmnopqrstuvwxyz"
				   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
	size_t i;

	if (klen == 0 || klen > LF_KEY_ECHO_MAX)
		return 0;
	for (i = 0; i < klen; i++)
		if (!key[i] || !strchr(word, key[i]))
			return 0;
	return 1;
}

/* Another downloader's option (aria2c's input files have dozens): the
 * job runs without it, and the key is remembered for one warning. */
static int lf_ignore(struct fp_listfile *lf, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < lf->nignored; i++)
		if (strlen(lf->ignored[i].key) == klen &&
		    memcmp(lf->ignored[i].key, key, klen) == 0)
			return FP_OK;
	if (lf->nignored == LF_IGNORED_MAX) {
		/* Not kept, so a key seen twice past the cap counts twice:
		 * "more" is then an upper bound, which the message says. */
		lf->ignored_more++;
		return FP_OK;
	}
	memcpy(lf->ignored[lf->nignored].key, key, klen);
	lf->ignored[lf->nignored].key[klen] = '\0';
	lf->ignored[lf->nignored++].line = lf->lineno;
	return FP_OK;
}

/* dir=SUB: the job's file goes into that folder of the output directory.
 * Trailing slashes are dropped ("books/" is "books"). */
static int lf_dir(struct fp_listfile *lf, struct fp_listjob *job,
		  const char *val, size_t vlen)
{
	const char *reason = NULL;
	char why[160], *v;

	while (vlen > 1 && val[vlen - 1] == '/')
		vlen--;
	v = strndup(val, vlen);
	if (!v)
		return FP_ENOMEM;
	if (fp_name_check_dir(v, &reason) != FP_OK) {
		free(v);
		snprintf(why, sizeof(why),
			 "dir must be a folder below the output directory: "
			 "it %s", reason);
		return lf_fail(job, lf->lineno, why);
	}
	job->dir = v;
	return FP_OK;
}

/* split=N: how many ranged parts the fetch may use for this file. */
static int lf_split(struct fp_listfile *lf, struct fp_listjob *job,
		    const char *val, size_t vlen)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < vlen && i < 3; i++) {
		if (val[i] < '0' || val[i] > '9')
			break;
		v = v * 10 + (unsigned)(val[i] - '0');
	}
	if (vlen == 0 || i != vlen || v < FP_LISTFILE_SPLIT_MIN ||
	    v > FP_LISTFILE_SPLIT_MAX)
		return lf_fail(job, lf->lineno, "split must be 1..16");
	job->split = v;
	return FP_OK;
}

/* Apply one option line "key=value" to job. */
static int lf_option(struct fp_listfile *lf, struct fp_listjob *job,
		     const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n), *key = s, *val;
	size_t klen, vlen;
	unsigned bit;
	char why[160];

	if (!eq)
		return lf_fail(job, lf->lineno,
			       "option must be key=value (keys: " LF_KEYS ")");
	klen = (size_t)(eq - s);
	val = eq + 1;
	vlen = n - klen - 1;
	lf_trim(&key, &klen);
	lf_trim(&val, &vlen);

	if (klen == 3 && memcmp(key, "out", 3) == 0)
		bit = LF_OPT_OUT;
	else if (klen == 8 && memcmp(key, "priority", 8) == 0)
		bit = LF_OPT_PRIORITY;
	else if (klen == 6 && memcmp(key, "sha256", 6) == 0)
		bit = LF_OPT_SHA256;
	else if (klen == 5 && memcmp(key, "title", 5) == 0)
		bit = LF_OPT_TITLE;
	else if (klen == 6 && memcmp(key, "header", 6) == 0)
		return lf_header(lf, job, val, vlen);
	else if (klen == 8 && memcmp(key, "checksum", 8) == 0) {
		/* aria2c's "checksum=sha-256=HEX": sha256= by another name.
		 * Another algorithm is refused, never silently unchecked. */
		if (vlen < 8 || strncasecmp(val, "sha-256=", 8) != 0)
			return lf_fail(job, lf->lineno,
				       "checksum must be sha-256=HEX (no other "
				       "algorithm is checked)");
		val += 8;
		vlen -= 8;
		bit = LF_OPT_SHA256;
	}
	else if (klen == 5 && memcmp(key, "strip", 5) == 0)
		bit = LF_OPT_STRIP;
	else if (klen == 3 && memcmp(key, "dir", 3) == 0)
		bit = LF_OPT_DIR;
	else if (klen == 5 && memcmp(key, "split", 5) == 0)
		bit = LF_OPT_SPLIT;
	else if (lf_key_word(key, klen))
		return lf_ignore(lf, key, klen);
	else
		return lf_fail(job, lf->lineno,
			       "unknown option (accepted: " LF_KEYS ")");
	if (lf->pending_opts & bit) {
		snprintf(why, sizeof(why), "duplicate option '%.*s'",
			 (int)klen, key);
		return lf_fail(job, lf->lineno, why);
	}
	lf->pending_opts |= bit;

	switch (bit) {
	case LF_OPT_OUT: {
		const char *reason = NULL;
		char *v = strndup(val, vlen);

		if (!v)
			return FP_ENOMEM;
		if (fp_name_check_out(v, &reason) != FP_OK) {
			free(v);
			snprintf(why, sizeof(why),
				 "out must be a plain file name: it %s",
				 reason);
			return lf_fail(job, lf->lineno, why);
		}
		job->out = v;
		return FP_OK;
	}
	case LF_OPT_DIR:
		return lf_dir(lf, job, val, vlen);
	case LF_OPT_SPLIT:
		return lf_split(lf, job, val, vlen);
	case LF_OPT_PRIORITY:
		if (vlen != 1 || val[0] < '0' + FP_LISTFILE_PRIO_MIN ||
		    val[0] > '0' + FP_LISTFILE_PRIO_MAX)
			return lf_fail(job, lf->lineno, "priority must be 1..5");
		job->priority = val[0] - '0';
		return FP_OK;
	case LF_OPT_SHA256: {
		char hex[FP_SHA256_HEX_LEN + 1];

		if (vlen != FP_SHA256_HEX_LEN)
			return lf_fail(job, lf->lineno,
				       "sha256 must be 64 hex digits");
		memcpy(hex, val, vlen);
		hex[vlen] = '\0';
		if (fp_hex_decode32(hex, job->sha256) != FP_OK)
			return lf_fail(job, lf->lineno,
				       "sha256 must be 64 hex digits");
		job->has_sha256 = 1;
		return FP_OK;
	}
	case LF_OPT_STRIP:
		if (vlen == 3 && memcmp(val, "yes", 3) == 0)
			job->strip = 1;
		else if (vlen == 2 && memcmp(val, "no", 2) == 0)
			job->strip = 0;
		else
			return lf_fail(job, lf->lineno,
				       "strip must be yes or no");
		return FP_OK;
	default: /* LF_OPT_TITLE */
		if (vlen == 0)
			return lf_fail(job, lf->lineno,
				       "title must not be empty");
		free(job->title);
		job->title = lf_text_dup(val, vlen);
		return job->title ? FP_OK : FP_ENOMEM;
	}
}

/* Hand a finished job to the caller. An invalid job keeps no URL: only the
 * redacted source may reach messages and reports. */
static int lf_emit(struct fp_listjob **out, struct fp_listjob *job)
{
	if (job->error) {
		free(job->url);
		job->url = NULL;
		while (job->nmirrors)
			free(job->mirrors[--job->nmirrors]);
	}
	*out = job;
	return 1;
}

static int lf_next(struct fp_listfile *lf, struct fp_listjob **job)
{
	for (;;) {
		const char *s, *q, *problem;
		struct fp_listjob *next;
		size_t n, k;
		int r, indent, rc;

		r = lf_read_line(lf);
		if (r <= 0) {
			lf->finished = 1;
			lf->status = r;
			if (r == 0 && lf->pending) {
				next = lf->pending;
				lf->pending = NULL;
				return lf_emit(job, next);
			}
			return r;
		}
		if (lf->lineno < UINT_MAX)
			lf->lineno++;
		s = lf->line;
		n = lf->len;
		if (lf->lineno == 1 && n >= 3 &&
		    memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		indent = n > 0 && lf_blank(s[0]);
		for (k = 0; k < n && lf_blank(s[k]); k++)
			;
		q = s + k;
		if (!lf->too_long && k == n)
			continue; /* blank */
		if (k < n && *q == '#')
			continue; /* comment, whatever follows */
		problem = lf->too_long ? "line too long (limit 65536 bytes)"
				       : lf_text_problem(s, n);

		if (indent) {
			if (lf->pending) {
				if (lf->pending->error)
					continue;
				rc = problem ? lf_fail(lf->pending, lf->lineno,
						       problem)
					     : lf_option(lf, lf->pending, q,
							 n - k);
				if (rc != FP_OK)
					return rc;
				continue;
			}
			next = lf_job_new(lf->lineno);
			if (!next)
				return FP_ENOMEM;
			if (lf_fail(next, lf->lineno,
				    problem ? problem
					    : "option line without a job line "
					      "above") != FP_OK) {
				fp_listjob_free(next);
				return FP_ENOMEM;
			}
			return lf_emit(job, next);
		}

		next = lf_job_new(lf->lineno);
		if (!next)
			return FP_ENOMEM;
		rc = problem ? lf_fail(next, lf->lineno, problem)
			     : lf_job_line(next, s, n);
		if (rc != FP_OK) {
			fp_listjob_free(next);
			return rc;
		}
		lf->pending_opts = 0;
		if (lf->pending) {
			struct fp_listjob *done = lf->pending;

			lf->pending = next;
			return lf_emit(job, done);
		}
		lf->pending = next;
	}
}

size_t fp_listfile_ignored(const struct fp_listfile *lf, char *buf,
			   size_t len)
{
	size_t i, used = 0;

	if (len)
		buf[0] = '\0';
	if (!lf)
		return 0;
	for (i = 0; i < lf->nignored && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s (line %u)",
				 i ? ", " : "", lf->ignored[i].key,
				 lf->ignored[i].line);

		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (lf->ignored_more && used < len)
		snprintf(buf + used, len - used, " and up to %zu more",
			 lf->ignored_more);
	return lf->nignored + lf->ignored_more;
}

int fp_listfile_next(struct fp_listfile *lf, struct fp_listjob **job)
{
	int rc;

	if (!job)
		return FP_EINVAL;
	*job = NULL;
	if (!lf)
		return FP_EINVAL;
	if (lf->finished)
		return lf->status;
	rc = lf_next(lf, job);
	if (rc < 0) {
		/* The parser state is not trustworthy after a failure half-way
		 * through a line: stop for good. */
		lf->finished = 1;
		lf->status = rc;
	}
	return rc;
}
