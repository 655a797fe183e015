/* The books list file (doc/DESIGN.md): a streaming parser that hands out
 * one job at a time, so memory stays flat however long the file is.
 *
 * Format (UTF-8 text; LF or CRLF line ends; a UTF-8 BOM at the very start
 * is skipped):
 *   - blank lines and lines whose first non-blank character is '#' are
 *     ignored everywhere (they neither start nor end a job's options);
 *   - a line starting with any other character is a job line,
 *     "URL [TITLE]" or "ID [TITLE]": the first word is the URL or ID, the
 *     rest of the line (trimmed) the title;
 *     URL: http or https (any case), written "scheme://host..." (the
 *     lenient "http:/host" and "http:///host" that libcurl also takes are
 *     refused, because the file name comes from the URL as written), then
 *     checked by libcurl's URL API; user:password@ is accepted but never
 *     echoed (see source);
 *     ID: a positive decimal Gutenberg ebook number below 2^31;
 *     several URLs of one file separated by TAB characters (aria2c's
 *     input format) make a job of mirrors: the first names the file and
 *     is the source, the others are in mirrors; no TITLE then (use
 *     title=); at most FP_LISTFILE_URLS_MAX URLs;
 *   - a line indented with spaces or tabs sets an option of the job line
 *     above it, "key=value" (spaces around key and value are trimmed):
 *       out=NAME       file name (fp_name_check_out() rules)
 *       dir=SUB        put the file in folder SUB of the output
 *                      directory, "SUB" or "SUB/SUB2"
 *                      (fp_name_check_dir() rules; trailing '/'
 *                      dropped); the job's name becomes "SUB/NAME"
 *       priority=1..5  dispatch level, 1 first (default 3)
 *       sha256=HEX     64 hex digits, either case
 *       checksum=sha-256=HEX  the same, as aria2c writes it (another
 *                      algorithm is refused: never a skipped check)
 *       title=TEXT     display name (overrides the job line's TITLE)
 *       header=Name: value  an extra request header for this job
 *                      (fp_header_problem() rules), repeatable, at most
 *                      FP_LISTFILE_HEADERS_MAX per job
 *       strip=yes|no   publish the text without Project Gutenberg's
 *                      licence header and footer (lib/strip.h), or not,
 *                      whatever --strip-headers says
 *       split=1..16    ranged parts for this file (--split per job)
 *     each other key at most once per job. Any other key made of letters,
 *     digits, '-' and '_' (at most 32 bytes; aria2c's input files have
 *     many: continue=, max-connection-per-server=, ...) is ignored and
 *     remembered for one warning (fp_listfile_ignored()); the job runs.
 * A job whose line or any of whose option lines is invalid is returned with
 * error set (the first problem found) and must be skipped by the caller; an
 * option line with no job line above is returned as a job of its own with
 * error set. Invalid lines: longer than FP_LISTFILE_LINE_MAX bytes (the rest
 * is skipped without being stored), a NUL byte, invalid UTF-8, a control
 * character other than tab, a bad URL or ID, an option line that is not
 * key=value or whose key is not a word, or a bad value.
 * Comment lines are ignored whatever they contain.
 *
 * Thread safety: a parser belongs to one thread at a time; parsers share no
 * state, so different parsers may run in different threads. */
#ifndef FP_LISTFILE_H
#define FP_LISTFILE_H
#include <stdio.h>

/* fp_url_redact() used to be declared here; its users still find it. */
#include "url.h"

/* Longest line kept, in bytes, without its line end. */
#define FP_LISTFILE_LINE_MAX 65536

/* Most URLs one job line may list (the first and its mirrors). */
#define FP_LISTFILE_URLS_MAX 16

/* Most header= lines one job may have. */
#define FP_LISTFILE_HEADERS_MAX 64

/* Default priority and its range. */
#define FP_LISTFILE_PRIO_DEFAULT 3
#define FP_LISTFILE_PRIO_MIN 1
#define FP_LISTFILE_PRIO_MAX 5

/* Range of split=. */
#define FP_LISTFILE_SPLIT_MIN 1
#define FP_LISTFILE_SPLIT_MAX 16

struct fp_listjob {
	unsigned line;       /* line number of the job line (1-based) */
	unsigned err_line;   /* line the error is about (the job line or one
				of its option lines); 0 when error is NULL */
	char *source;        /* the URL or ID as written, a URL with any
				user:password@ removed (fp_url_redact());
				NULL when the line was not usable text (too
				long, NUL, invalid UTF-8, control character)
				and for an orphan option line. Use this, never
				url, in messages and reports */
	char *url;           /* full URL as written for URL jobs, credentials
				kept (they are needed for the request); NULL
				for ID jobs and for every invalid job */
	long id;             /* Gutenberg ID (> 0) for ID jobs, else 0 */
	char *title;         /* title= or the job line's TITLE, else NULL */
	char *out;           /* validated out= name, else NULL */
	char *dir;           /* validated dir= folder (no trailing '/'),
				else NULL */
	unsigned split;      /* split=, 1..16; 0 when not given */
	int priority;        /* 1..5, default 3 */
	int has_sha256;      /* sha256= given: sha256 holds the digest */
	int strip;           /* strip=: 1 yes, 0 no, -1 not given */
	unsigned char sha256[32];
	char **headers;      /* header= values in list order, each checked by
				fp_header_problem(); values of secret headers
				(fp_header_is_secret()) never go into
				messages */
	size_t nheaders;
	char **mirrors;      /* the other URLs of a TAB-separated job line, as
				written (credentials kept, like url) */
	size_t nmirrors;
	char *error;         /* non-NULL: the job is invalid, this is why (an
				English phrase naming the key and what is
				accepted, e.g. "priority must be 1..5"); never
				holds credentials or raw input bytes */
};

struct fp_listfile;

/* Start parsing in, which the caller keeps open (and closes after
 * fp_listfile_close()). name is the file name for messages (copied; may be
 * NULL, then "-"). Returns FP_OK and *out, FP_EINVAL (NULL out or in),
 * FP_ENOMEM. */
int fp_listfile_open(struct fp_listfile **out, FILE *in, const char *name);

/* The next job in file order. Returns 1 and a new *job (caller frees it
 * with fp_listjob_free(); check job->error), 0 at the end of the input
 * (*job = NULL), FP_EIO when reading fails, FP_ENOMEM. After 0 or an error
 * every further call returns the same. A job line is handed out only when
 * the line after its options has been read (that is how its options are
 * known), so a job reaches the caller one job line late on a pipe. */
int fp_listfile_next(struct fp_listfile *lf, struct fp_listjob **job);

/* The name given to fp_listfile_open() ("-" if it was NULL). Valid until
 * fp_listfile_close(). */
const char *fp_listfile_name(const struct fp_listfile *lf);

/* The option keys ignored so far, each distinct key once in the order
 * first seen with the line it was first on, written into buf (always
 * NUL-terminated when len > 0, cut to fit) as "continue (line 3),
 * max-connection-per-server (line 7)"; past 16 keys " and up to N more".
 * Keys are words (letters, digits, '-', '_'), safe to print. Returns the
 * number of distinct keys (0: none, buf empty). */
size_t fp_listfile_ignored(const struct fp_listfile *lf, char *buf,
			   size_t len);

/* Frees a job and all its strings. NULL is a no-op. */
void fp_listjob_free(struct fp_listjob *job);

/* Frees the parser (not the FILE). NULL is a no-op. */
void fp_listfile_close(struct fp_listfile *lf);

#endif
