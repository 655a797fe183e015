/* Project Gutenberg's catalog, cache/epub/feeds/pg_catalog.csv: its rows
 * and the filters of `fetchpool catalog` (doc/DESIGN.md, "The catalog").
 *
 * The file is CSV (lib/csv.h) with a header row naming the columns
 *
 *     Text#,Type,Issued,Title,Language,Authors,Subjects,LoCC,Bookshelves
 *
 * which are found by name, so another order or an extra column is fine;
 * Text# and Title must be there. Multi-valued fields (Language, Authors,
 * Subjects, LoCC, Bookshelves) separate their values with "; ". The input
 * may be gzip-compressed: recognised by its magic bytes (1f 8b) and
 * inflated as it is read, several members included. Rows stream one at a
 * time: memory stays flat however big the catalog is.
 *
 * Thread safety: a catalog reader belongs to one thread at a time; the
 * other functions are pure. */
#ifndef FP_CATALOG_H
#define FP_CATALOG_H
#include <stddef.h>

enum fp_catalog_col {
	FP_CAT_ID,         /* Text# */
	FP_CAT_TYPE,       /* Text, Sound, Image, ... */
	FP_CAT_ISSUED,     /* YYYY-MM-DD */
	FP_CAT_TITLE,
	FP_CAT_LANGUAGE,   /* "en", "en; fr" */
	FP_CAT_AUTHORS,    /* "Austen, Jane, 1775-1817; ..." */
	FP_CAT_SUBJECTS,
	FP_CAT_LOCC,
	FP_CAT_BOOKSHELVES,
	FP_CAT_NCOLS
};

/* One row. The strings are the reader's, valid until the next call. */
struct fp_catalog_row {
	unsigned long line; /* physical line where the row starts */
	long id;            /* Text#, > 0 */
	const char *col[FP_CAT_NCOLS]; /* raw field text; "" when absent */
	/* Non-NULL: the row is malformed and only line is meaningful. A
	 * short English phrase, never the row's text: "9 fields, expected
	 * 9", "text after a closing quote". */
	const char *error;
	char errbuf[80];
};

/* What a row must match: every filter given (non-NULL, non-empty), each
 * case-insensitively. Substrings for author, title, subject and
 * bookshelf; one of languages equal to one of the row's language codes;
 * type equal; issued_since ("YYYY-MM-DD") not after the row's Issued
 * (a row without a valid date never matches it). Case folding covers
 * ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters. */
struct fp_catalog_filter {
	const char *const *languages;
	size_t nlanguages;
	const char *author, *title, *subject, *bookshelf;
	const char *type;
	const char *issued_since;
};

/* Where a mirror keeps the catalog, and the name it is cached under. */
#define FP_CATALOG_PATH "/cache/epub/feeds/pg_catalog.csv"
#define FP_CATALOG_NAME "pg_catalog.csv"

/* "MIRROR/cache/epub/feeds/pg_catalog.csv" (trailing slashes of MIRROR
 * dropped), malloc'd; NULL when MIRROR is NULL or empty or memory is
 * short. */
char *fp_catalog_url(const char *mirror);

struct fp_catalog;

/* A reader over the file descriptor FD, which it takes over (closed by
 * fp_catalog_close(), also on failure). FP_OK and *out, or FP_ENOMEM. */
int fp_catalog_open(struct fp_catalog **out, int fd);

/* The next row in file order: 1 and *row (check row->error), 0 at the
 * end, or a failure: FP_EPARSE when the first row is not a catalog
 * header (no Text# or Title column), FP_EIO when reading or inflating
 * fails, FP_ENOMEM. fp_catalog_error() says what failed. */
int fp_catalog_next(struct fp_catalog *c, struct fp_catalog_row *row);

/* Why the last fp_catalog_next() failed ("not a Project Gutenberg
 * catalog: no Text# column", "corrupt gzip data", strerror), or "". */
const char *fp_catalog_error(const struct fp_catalog *c);

/* Physical lines read so far. */
unsigned long fp_catalog_lines(const struct fp_catalog *c);

/* Close the reader and its descriptor. NULL is fine. */
void fp_catalog_close(struct fp_catalog *c);

/* 1 when ROW matches every filter of F, else 0. */
int fp_catalog_match(const struct fp_catalog_filter *f,
		     const struct fp_catalog_row *row);

/* 1 when S is a date YYYY-MM-DD (month 01..12, day 01..31), else 0. */
int fp_catalog_date_ok(const char *s);

/* The title as one line of a list file, into OUT (OUTLEN bytes, at least
 * 4): each run of blanks, tabs and line breaks becomes one space;
 * other control characters (C0, DEL, C1) and the invisible characters
 * that reorder text are removed; bytes that are not UTF-8
 * become U+FFFD; blanks at both ends are trimmed; the result is cut at a
 * character boundary to fit. Returns OUT. */
char *fp_catalog_title(const char *title, char *out, size_t outlen);

#endif
