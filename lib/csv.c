#include "csv.h"
#include "error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CSV_INBUF (64 * 1024)

enum csv_state {
	CSV_FIELD_START, /* nothing of this field read yet */
	CSV_UNQUOTED,
	CSV_QUOTED,
	CSV_QUOTE_SEEN,  /* a '"' in a quoted field: closing or doubled */
	CSV_AFTER_QUOTE, /* text after a closing quote: malformed */
	CSV_SKIP,        /* over a limit: skip to the end of the record */
	CSV_SKIP_QUOTED, /* the same, inside quotes */
};

struct fp_csv {
	fp_csv_read_fn *read;
	void *ctx;
	unsigned char in[CSV_INBUF];
	size_t in_pos, in_len;
	int eof, err;        /* err: the sticky result after the end */
	int bom_checked;
	int prev_cr;         /* the last byte was a CR (a LF after it ends
				nothing and counts no line) */
	unsigned long line;  /* current physical line, 1-based */
	/* The record being built. */
	char *data;
	size_t len, cap;
	size_t starts[FP_CSV_FIELDS_MAX];
	size_t nstarts;
	char *fields[FP_CSV_FIELDS_MAX];
	size_t lens[FP_CSV_FIELDS_MAX];
};

int fp_csv_open(struct fp_csv **out, fp_csv_read_fn *read, void *ctx)
{
	struct fp_csv *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return FP_ENOMEM;
	c->read = read;
	c->ctx = ctx;
	c->line = 1;
	*out = c;
	return FP_OK;
}

void fp_csv_close(struct fp_csv *c)
{
	if (!c)
		return;
	free(c->data);
	free(c);
}

unsigned long fp_csv_lines(const struct fp_csv *c)
{
	return c->line;
}

/* The next input byte, -1 at the end, -2 on a read error. */
static int csv_byte(struct fp_csv *c)
{
	if (c->in_pos == c->in_len) {
		ssize_t n;

		if (c->eof)
			return -1;
		do
			n = c->read(c->ctx, c->in, sizeof(c->in));
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -2;
		if (n == 0) {
			c->eof = 1;
			return -1;
		}
		c->in_pos = 0;
		c->in_len = (size_t)n;
	}
	return c->in[c->in_pos++];
}

/* Skip a UTF-8 BOM at the very start: read until 3 bytes are there (or
 * the input ends), however the source splits them. */
static int csv_skip_bom(struct fp_csv *c)
{
	while (c->in_len < 3 && !c->eof) {
		ssize_t n = c->read(c->ctx, c->in + c->in_len,
				    sizeof(c->in) - c->in_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FP_EIO;
		if (n == 0)
			c->eof = 1;
		c->in_len += (size_t)n;
	}
	if (c->in_len >= 3 && !memcmp(c->in, "\xef\xbb\xbf", 3))
		c->in_pos = 3;
	return FP_OK;
}

/* Append one byte of the current field. -1 when the record is too long. */
static int csv_put(struct fp_csv *c, unsigned char ch)
{
	if (c->len + 1 >= c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 4096;
		char *p;

		if (c->cap >= FP_CSV_RECORD_MAX + FP_CSV_FIELDS_MAX)
			return -1;
		if (ncap > FP_CSV_RECORD_MAX + FP_CSV_FIELDS_MAX)
			ncap = FP_CSV_RECORD_MAX + FP_CSV_FIELDS_MAX;
		p = realloc(c->data, ncap);
		if (!p)
			return -2;
		c->data = p;
		c->cap = ncap;
	}
	if (c->len >= FP_CSV_RECORD_MAX + c->nstarts) /* NULs not counted */
		return -1;
	c->data[c->len++] = (char)ch;
	return 0;
}

/* End the current field (NUL-terminate it) and open the next one. */
static int csv_field_end(struct fp_csv *c, int open_next)
{
	int rc = csv_put(c, 0);

	if (rc)
		return rc;
	if (!open_next)
		return 0;
	if (c->nstarts == FP_CSV_FIELDS_MAX)
		return -1;
	c->starts[c->nstarts++] = c->len;
	return 0;
}

/* Fill rec from the record built so far. */
static void csv_emit(struct fp_csv *c, struct fp_csv_record *rec,
		     unsigned long line, const char *error)
{
	size_t i;

	rec->line = line;
	rec->error = error;
	rec->nfields = c->nstarts;
	for (i = 0; i < rec->nfields; i++) {
		size_t end = i + 1 < c->nstarts ? c->starts[i + 1] - 1
						 : c->len - 1;

		c->fields[i] = c->data + c->starts[i];
		c->lens[i] = end - c->starts[i];
	}
	rec->fields = c->fields;
	rec->lens = c->lens;
}

/* Count lines: CRLF, LF and a lone CR each end one. */
static void csv_count(struct fp_csv *c, int ch)
{
	if (ch == '\n' && !c->prev_cr)
		c->line++;
	else if (ch == '\r')
		c->line++;
	c->prev_cr = ch == '\r';
}

int fp_csv_next(struct fp_csv *c, struct fp_csv_record *rec)
{
	enum csv_state st = CSV_FIELD_START;
	const char *error = NULL;
	unsigned long line = c->line;
	int any = 0, ch, rc;

	if (c->err)
		return c->err == 1 ? 0 : c->err;
	if (!c->bom_checked) {
		c->bom_checked = 1;
		rc = csv_skip_bom(c);
		if (rc) {
			c->err = rc;
			return rc;
		}
	}
	c->len = 0;
	c->nstarts = 1;
	c->starts[0] = 0;
	for (;;) {
		ch = csv_byte(c);
		if (ch == -2) {
			c->err = FP_EIO;
			return FP_EIO;
		}
		if (ch == -1)
			break;
		csv_count(c, ch);
		/* A record ends at a CR outside quotes, so the LF of a CRLF
		 * comes here as an empty line. */
		if (!any && (ch == '\n' || ch == '\r')) {
			line = c->line; /* an empty line: skipped */
			continue;
		}
		any = 1;
		rc = 0;
		switch (st) {
		case CSV_FIELD_START:
			if (ch == '"') {
				st = CSV_QUOTED;
				break;
			}
			st = CSV_UNQUOTED;
			/* fall through */
		case CSV_UNQUOTED:
		case CSV_AFTER_QUOTE:
			if (ch == ',') {
				rc = csv_field_end(c, 1);
				st = CSV_FIELD_START;
			} else if (ch == '\n' || ch == '\r') {
				goto record_end;
			} else {
				rc = csv_put(c, (unsigned char)ch);
			}
			break;
		case CSV_QUOTED:
			if (ch == '"')
				st = CSV_QUOTE_SEEN;
			else
				rc = csv_put(c, (unsigned char)ch);
			break;
		case CSV_QUOTE_SEEN:
			if (ch == '"') {
				rc = csv_put(c, '"');
				st = CSV_QUOTED;
			} else if (ch == ',') {
				rc = csv_field_end(c, 1);
				st = CSV_FIELD_START;
			} else if (ch == '\n' || ch == '\r') {
				goto record_end;
			} else {
				if (!error)
					error = "text after a closing quote";
				rc = csv_put(c, (unsigned char)ch);
				st = CSV_AFTER_QUOTE;
			}
			break;
		case CSV_SKIP:
			if (ch == '"')
				st = CSV_SKIP_QUOTED;
			else if (ch == '\n' || ch == '\r')
				goto record_end;
			break;
		case CSV_SKIP_QUOTED:
			if (ch == '"')
				st = CSV_SKIP;
			break;
		}
		if (rc == -2) {
			c->err = FP_ENOMEM;
			return FP_ENOMEM;
		}
		if (rc == -1) {
			/* Over a limit: forget the record, keep its quote
			 * state while skipping to its end. */
			error = c->nstarts == FP_CSV_FIELDS_MAX
					? "more than 1024 fields"
					: "record longer than 1 MiB";
			st = st == CSV_QUOTED ? CSV_SKIP_QUOTED : CSV_SKIP;
		}
	}
	/* The end of the input. */
	if (!any) {
		c->err = 1;
		return 0;
	}
	if (st == CSV_QUOTED || st == CSV_SKIP_QUOTED)
		error = error ? error : "quoted field not closed at the end "
					"of the input";
record_end:
	rc = st == CSV_SKIP || st == CSV_SKIP_QUOTED ? -1 : csv_field_end(c, 0);
	if (rc == -2) {
		c->err = FP_ENOMEM;
		return FP_ENOMEM;
	}
	if (rc == -1) {
		/* Nothing of a record over a limit is handed out. */
		error = error ? error : "record longer than 1 MiB";
		c->len = 0;
		c->nstarts = 0;
	}
	csv_emit(c, rec, line, error);
	return 1;
}
