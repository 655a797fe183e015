/* World Bank Indicators API v2 emulation for the fixture server.
 *
 * DESIGN
 * wbemu_load() reads the fixture files once: the WDI bulk GDP file
 * (gdp/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_391573.csv, vintage 2025-04-15:
 * BOM, 4 preamble lines, one row per economy, columns 1960..2024), a
 * second indicator in the same layout whose values are MADE UP
 * (generated/generated-SP.POP.TOTL.csv, see SOURCES.md; it exists so
 * that requests for several indicators can be tested), the country list
 * (countries/country_list_R-WDI-cache_2026-04-30.csv) and the recorded
 * 400 page for a bad source (bodies/error_400_source.html). After
 * that the data are read-only, so wbemu_handle() runs in any number of
 * threads at once. Every behaviour follows tests/fixtures/worldbank/API.md
 * (cited as §N) and the recorded answers under recorded/:
 *
 * Paths (after "/v2"; an optional "/en" first; other 2-letter languages
 * answer error 150 (§5); plural aliases "countries", "indicators" (§1);
 * path words case-insensitive; '%XX' decoded):
 *   /country, /country/all          the country list, paged (§4)
 *   /country/{codes}                those entries; unknown code: 120
 *   /country/{codes|all}/indicator/{id}   indicator data (§2, §3)
 *   anything else                   404 text/plain (not emulated)
 * Codes are ISO3 or ISO2, any case, ';'-separated; the answer keeps the
 * request order (JPN;USA gave all JPN rows first). A code missing from the
 * list, or listed without a GDP series (AFR and 29 others, §1), fails the
 * whole call with one 120 message (as for wbdata#64's MTQ). An indicator
 * the emulation does not have gives one 120 message per bad ';' part
 * (§5). Several indicators ("A;B") need source= (§1; without it: one 120
 * message, decided, no recording shows it); their answer lists indicator
 * by indicator, each economy's rows, with sourceid and sourcename null
 * (recorded). source= other than 2: a number answers an XML 120 error
 * even when JSON was asked (wbgapi#17: a database without the
 * indicator), anything else the recorded HTTP 400 HTML page (§5).
 *
 * Query: format=json|xml (absent: XML, §1; anything else: error 111, in
 * XML); date=YYYY or YYYY:YYYY (else 120); per_page (default 50; values
 * above 32500 are clamped to 32500, §1; < 1 or not a number: 120); page
 * (default 1; < 1: 120); mrnev=N: each economy's N most recent non-empty
 * values within the date range; mrv=N: each economy's N most recent
 * periods ending at its latest non-empty one (nulls inside that window
 * kept). Economies without any value in range are absent from mrnev and
 * mrv answers: "most recent non-empty" has nothing to return for them
 * (decided from §1; no recording shows the case). gapfill=Y (with mrv)
 * gives an empty period of that window the value of the previous
 * non-empty period, at most mrv periods back (§1); gapfill other than Y
 * or N is a 120. Other parameters (frequency, footnote, ...) are
 * ignored.
 *
 * The country list takes the filters region=, incomelevel= and
 * lendingtype= (ids, any case; recorded as query parameters of
 * /v2/countries); a value no entry has is a 120 message (recorded for
 * region=invalid_region_id).
 *
 * Data answers: one row per economy and year, newest year first, nulls
 * included; country/all lists the aggregates first, then the countries,
 * each group by name (case- and accent-insensitive: SQL collation order);
 * pages = ceil(total / per_page); a page past the last has an empty
 * record array; no row at all gives the zero-record reply of §2 (JSON
 * `[{"page":0,"pages":0,"per_page":0,"total":0,"sourceid":null,
 * "lastupdated":null},null]`, XML an empty root with zero attributes).
 * Values are the CSV cells copied verbatim (15 significant digits, §2).
 * JSON: cJSON unformatted, field order of the recordings, per_page a
 * number, no BOM, no trailing newline. XML: a BOM, `wb:data` root with
 * page/pages/per_page/total/lastupdated attributes, `<wb:value />` for
 * null, the element spacing of the 2018 recording (§3).
 *
 * Country list answers: entries in list order (by id, §4); per_page a
 * string in JSON; region/adminregion/incomeLevel/lendingType rebuilt from
 * the code lists of §4 (trailing spaces of "Latin America & Caribbean "
 * and "Sub-Saharan Africa " restored); adminregion is the region's
 * "(excluding high income)" group for economies that are not high income
 * (AFG -> SAS in 2021), empty otherwise; aggregates as in §4.
 *
 * Errors answer HTTP 200 with the message body (§5): JSON
 * [{"message":[{"id","key","value"}]}] or the XML <wb:error> form.
 */
#include "wbemu.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#define WBEMU_GDP_CSV "gdp/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_391573.csv"
#define WBEMU_LIST_CSV "countries/country_list_R-WDI-cache_2026-04-30.csv"
#define WBEMU_GEN_CSV "generated/generated-SP.POP.TOTL.csv"
#define WBEMU_HTML_400 "bodies/error_400_source.html"
#define WBEMU_SOURCE "2" /* the one database emulated: WDI */
#define WBEMU_MAX_IND 2  /* GDP (real data), SP.POP.TOTL (generated) */
#define WBEMU_DEFAULT_PER_PAGE 50
#define WBEMU_MAX_PER_PAGE 32500
#define WBEMU_NS "http://www.worldbank.org"
#define WBEMU_BOM "\xEF\xBB\xBF"
#define WBEMU_CT_JSON "application/json;charset=utf-8"
#define WBEMU_CT_XML "text/xml; charset=utf-8"
#define WBEMU_CT_TEXT "text/plain; charset=utf-8"

/* ------------------------------------------------------------------ */
/* Loaded data                                                         */

struct wbemu_code {
	const char *id, *iso2, *value; /* value may end in a space */
};

/* One entry of the country list. */
struct wbemu_cty {
	char id[4], iso2[4];
	char *name, *capital, *lon, *lat;
	struct wbemu_code region, admin, income, lending;
	bool aggregate;
	long econ; /* index of its GDP row, or -1 */
};

/* One row of the GDP CSV. */
struct wbemu_econ {
	char code[4];
	char *name;	/* WDI name from the GDP file */
	char *sortkey;	/* folded name for the country/all order */
	bool aggregate; /* from the country list */
	long cty;	/* index in the country list, or -1 */
	char **vals[WBEMU_MAX_IND]; /* per indicator: nyears cells, NULL
				     * when empty */
};

/* One indicator: its code and name, from its CSV. */
struct wbemu_ind {
	char id[64];
	char *name;
};

struct wbemu {
	int year0, nyears;
	char lastupdated[16];
	struct wbemu_ind ind[WBEMU_MAX_IND];
	size_t nind;
	char *html_400; /* the recorded 400 page for a bad source */
	size_t html_400_len;
	struct wbemu_econ *econ;
	size_t necon;
	size_t *order; /* econ indexes in country/all order */
	struct wbemu_cty *cty;
	size_t ncty;
};

/* ------------------------------------------------------------------ */
/* A small careful CSV reader (RFC 4180: quoted fields, "" escapes, CRLF
 * or LF line ends, a UTF-8 BOM at the start skipped).                  */

struct wbemu_row {
	char **f;
	size_t n;
};

struct wbemu_csv {
	struct wbemu_row *rows;
	size_t n;
};

static void row_free(struct wbemu_row *row)
{
	size_t j;

	for (j = 0; j < row->n; j++)
		free(row->f[j]);
	free(row->f);
}

static void csv_free(struct wbemu_csv *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		row_free(&c->rows[i]);
	free(c->rows);
	memset(c, 0, sizeof(*c));
}

static bool push_ptr(void **arr, size_t *n, size_t *cap, size_t elsize)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *na;

		if (nc > SIZE_MAX / elsize)
			return false;
		na = realloc(*arr, nc * elsize);
		if (na == NULL)
			return false;
		*arr = na;
		*cap = nc;
	}
	return true;
}

/* Append byte C to the growable buffer *BUF. */
static bool buf_putc(char **buf, size_t *len, size_t *cap, char c)
{
	if (!push_ptr((void **)buf, len, cap, 1))
		return false;
	(*buf)[(*len)++] = c;
	return true;
}

/* One field at TEXT[*I]: quoted or bare, up to (not over) the ',' or line
 * end that follows it. Returns 0, -1 on ENOMEM, -2 on a syntax error. */
static int csv_field(const char *text, size_t len, size_t *i, char **buf,
		     size_t *blen, size_t *bcap)
{
	size_t k = *i;

	*blen = 0;
	if (k < len && text[k] == '"') {
		k++;
		for (;;) {
			if (k >= len)
				return -2; /* unterminated quoted field */
			if (text[k] == '"') {
				if (k + 1 < len && text[k + 1] == '"') {
					k += 2;
					if (!buf_putc(buf, blen, bcap, '"'))
						return -1;
					continue;
				}
				k++;
				break;
			}
			if (!buf_putc(buf, blen, bcap, text[k++]))
				return -1;
		}
		if (k < len && text[k] != ',' && text[k] != '\r' &&
		    text[k] != '\n')
			return -2; /* text after the closing quote */
	} else {
		while (k < len && text[k] != ',' && text[k] != '\r' &&
		       text[k] != '\n') {
			if (text[k] == '"')
				return -2; /* a quote inside a bare field */
			if (!buf_putc(buf, blen, bcap, text[k++]))
				return -1;
		}
	}
	*i = k;
	return 0;
}

/* Parse TEXT (LEN bytes) into rows of fields; a blank line is a row of
 * no fields, a trailing comma one more empty field. Returns 0, or -1 with
 * a message in ERR. */
static int csv_parse(const char *text, size_t len, struct wbemu_csv *out,
		     char *err, size_t errlen)
{
	size_t i = 0, rcap = 0, fcap = 0, bcap = 0, blen = 0, line = 1;
	struct wbemu_row row = { NULL, 0 };
	char *buf = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(text, WBEMU_BOM, 3) == 0)
		i = 3;
	while (i < len) {
		if (text[i] != '\r' && text[i] != '\n') {
			for (;;) {
				rc = csv_field(text, len, &i, &buf, &blen,
					       &bcap);
				if (rc == -1)
					goto nomem;
				if (rc == -2) {
					snprintf(err, errlen,
						 "line %zu: bad quoting",
						 line);
					goto fail;
				}
				if (!push_ptr((void **)&row.f, &row.n, &fcap,
					      sizeof(*row.f)))
					goto nomem;
				row.f[row.n] = malloc(blen + 1);
				if (row.f[row.n] == NULL)
					goto nomem;
				if (blen > 0)
					memcpy(row.f[row.n], buf, blen);
				row.f[row.n][blen] = '\0';
				row.n++;
				if (i < len && text[i] == ',') {
					i++;
					continue;
				}
				break;
			}
		}
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		line++;
		if (!push_ptr((void **)&out->rows, &out->n, &rcap,
			      sizeof(*out->rows)))
			goto nomem;
		out->rows[out->n++] = row;
		row.f = NULL;
		row.n = 0;
		fcap = 0;
	}
	free(buf);
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	row_free(&row);
	free(buf);
	csv_free(out);
	return -1;
}

static char *read_file(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "wbemu: cannot open '%s': %s\n", path,
			strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n + 65536 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 262144;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				fprintf(stderr, "wbemu: out of memory\n");
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, 65536, f);
		n += got;
		if (got < 65536)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "wbemu: cannot read '%s'\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ------------------------------------------------------------------ */
/* Code lists of API.md §4                                             */

static const struct wbemu_code wbemu_regions[] = {
	{ "EAS", "Z4", "East Asia & Pacific" },
	{ "ECS", "Z7", "Europe & Central Asia" },
	{ "LCN", "ZJ", "Latin America & Caribbean " },
	{ "MEA", "ZQ", "Middle East, North Africa, Afghanistan & Pakistan" },
	{ "NAC", "XU", "North America" },
	{ "SAS", "8S", "South Asia" },
	{ "SSF", "ZG", "Sub-Saharan Africa " },
};

/* Admin regions, same order as wbemu_regions (NAC has none). */
static const struct wbemu_code wbemu_admins[] = {
	{ "EAP", "4E", "East Asia & Pacific (excluding high income)" },
	{ "ECA", "7E", "Europe & Central Asia (excluding high income)" },
	{ "LAC", "XJ", "Latin America & Caribbean (excluding high income)" },
	{ "MNA", "XQ",
	  "Middle East, North Africa, Afghanistan & Pakistan (excluding high "
	  "income)" },
	{ "", "", "" },
	{ "SAS", "8S", "South Asia" },
	{ "SSA", "ZF", "Sub-Saharan Africa (excluding high income)" },
};

static const struct wbemu_code wbemu_incomes[] = {
	{ "HIC", "XD", "High income" },
	{ "UMC", "XT", "Upper middle income" },
	{ "LMC", "XN", "Lower middle income" },
	{ "LIC", "XM", "Low income" },
	{ "INX", "XY", "Not classified" },
};

static const struct wbemu_code wbemu_lendings[] = {
	{ "IBD", "XF", "IBRD" },
	{ "IDB", "XH", "Blend" },
	{ "IDX", "XI", "IDA" },
	{ "LNX", "XX", "Not classified" },
};

static const struct wbemu_code wbemu_empty = { "", "", "" };
static const struct wbemu_code wbemu_agg_region = { "NA", "NA", "Aggregates" };
static const struct wbemu_code wbemu_agg_lending = { "", "", "Aggregates" };

/* Compare ignoring trailing spaces (the list CSV trimmed them). */
static bool name_eq_trim(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	while (na > 0 && a[na - 1] == ' ')
		na--;
	while (nb > 0 && b[nb - 1] == ' ')
		nb--;
	return na == nb && memcmp(a, b, na) == 0;
}

static long code_lookup(const struct wbemu_code *tab, size_t n,
			const char *value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (name_eq_trim(tab[i].value, value))
			return (long)i;
	return -1;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Loading                                                             */

static bool is_code(const char *s, size_t min)
{
	size_t i, n = strlen(s);

	if (n < min || n > 3)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

/* A CSV cell holds a JSON number (so it can be copied into JSON as is). */
static bool is_json_number(const char *s)
{
	const char *p = s;
	char *end;
	double v;

	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	for (; *p; p++)
		if (!(isdigit((unsigned char)*p) || *p == '.' || *p == 'e' ||
		      *p == 'E' || *p == '+' || *p == '-'))
			return false;
	errno = 0;
	v = strtod(s, &end);
	return *end == '\0' && isfinite(v) && (s[0] != '0' || s[1] != '0');
}

/* Fold a UTF-8 name for sorting: ASCII lower case, Latin-1 letters with
 * diacritics to their base letter (the API sorts "Côte d'Ivoire" among
 * the Co... names, as an SQL collation does). */
static char *fold_name(const char *s)
{
	static const char from[] = "\xC0\xC1\xC2\xC3\xC4\xC5\xC7\xC8\xC9\xCA"
				   "\xCB\xCC\xCD\xCE\xCF\xD1\xD2\xD3\xD4\xD5"
				   "\xD6\xD9\xDA\xDB\xDC\xDD";
	static const char to[] = "aaaaaaceeeeiiiinooooouuuuy";
	const unsigned char *u = (const unsigned char *)s;
	char *out = malloc(strlen(s) + 1), *o = out;

	if (out == NULL)
		return NULL;
	while (*u) {
		if (*u == 0xC3 && u[1] >= 0x80 && u[1] <= 0xBF) {
			/* U+00C0..U+00FF; lower case folds to upper */
			unsigned char c = (unsigned char)(u[1] + 0x40);
			const char *hit;

			if (c >= 0xE0 && c != 0xF7)
				c = (unsigned char)(c - 0x20);
			hit = memchr(from, c, sizeof(from) - 1);
			*o++ = hit ? to[hit - from] : (char)c;
			u += 2;
		} else {
			*o++ = (char)tolower(*u);
			u++;
		}
	}
	*o = '\0';
	return out;
}

static void emu_free_cty(struct wbemu_cty *c)
{
	free(c->name);
	free(c->capital);
	free(c->lon);
	free(c->lat);
}

void wbemu_free(struct wbemu *emu)
{
	size_t i;
	int y;

	if (emu == NULL)
		return;
	for (i = 0; i < emu->necon; i++) {
		size_t k;

		for (k = 0; k < WBEMU_MAX_IND; k++) {
			for (y = 0; emu->econ[i].vals[k] && y < emu->nyears;
			     y++)
				free(emu->econ[i].vals[k][y]);
			free(emu->econ[i].vals[k]);
		}
		free(emu->econ[i].name);
		free(emu->econ[i].sortkey);
	}
	for (i = 0; i < emu->ncty; i++)
		emu_free_cty(&emu->cty[i]);
	free(emu->econ);
	free(emu->cty);
	free(emu->order);
	for (i = 0; i < WBEMU_MAX_IND; i++)
		free(emu->ind[i].name);
	free(emu->html_400);
	free(emu);
}

static int load_list(struct wbemu *emu, const char *dir)
{
	struct wbemu_csv csv;
	char err[128];
	char *text;
	size_t len, r;
	int rc = -1;

	text = read_file(dir, WBEMU_LIST_CSV, &len);
	if (text == NULL)
		return -1;
	if (csv_parse(text, len, &csv, err, sizeof(err)) != 0) {
		fprintf(stderr, "wbemu: %s: %s\n", WBEMU_LIST_CSV, err);
		free(text);
		return -1;
	}
	free(text);
	if (csv.n < 1 || csv.rows[0].n != 9 ||
	    strcmp(csv.rows[0].f[0], "iso3c") != 0 ||
	    strcmp(csv.rows[0].f[8], "lending") != 0) {
		fprintf(stderr, "wbemu: %s: unexpected header\n",
			WBEMU_LIST_CSV);
		goto out;
	}
	emu->cty = calloc(csv.n, sizeof(*emu->cty));
	if (emu->cty == NULL)
		goto out;
	for (r = 1; r < csv.n; r++) {
		struct wbemu_row *row = &csv.rows[r];
		struct wbemu_cty *c = &emu->cty[emu->ncty];
		long reg;

		if (row->n == 0)
			continue;
		if (row->n != 9 || !is_code(row->f[0], 3) ||
		    !is_code(row->f[1], 2)) {
			fprintf(stderr, "wbemu: %s: bad row %zu\n",
				WBEMU_LIST_CSV, r + 1);
			goto out;
		}
		emu->ncty++;
		c->econ = -1;
		memcpy(c->id, row->f[0], strlen(row->f[0]) + 1);
		memcpy(c->iso2, row->f[1], strlen(row->f[1]) + 1);
		c->name = strdup(row->f[2]);
		c->capital = strdup(row->f[4]);
		c->lon = strdup(row->f[5]);
		c->lat = strdup(row->f[6]);
		if (!c->name || !c->capital || !c->lon || !c->lat)
			goto out;
		c->aggregate = strcmp(row->f[3], "Aggregates") == 0;
		if (c->aggregate) {
			c->region = wbemu_agg_region;
			c->admin = wbemu_empty;
			c->income = wbemu_agg_region;
			c->lending = wbemu_agg_lending;
			continue;
		}
		reg = code_lookup(wbemu_regions, NELEM(wbemu_regions),
				  row->f[3]);
		if (reg < 0) {
			fprintf(stderr, "wbemu: %s: unknown region '%s'\n",
				WBEMU_LIST_CSV, row->f[3]);
			goto out;
		}
		c->region = wbemu_regions[reg];
		{
			long inc =
				code_lookup(wbemu_incomes,
					    NELEM(wbemu_incomes), row->f[7]);
			long len2 =
				code_lookup(wbemu_lendings,
					    NELEM(wbemu_lendings), row->f[8]);

			if (inc < 0 || len2 < 0) {
				fprintf(stderr,
					"wbemu: %s: unknown income or lending "
					"'%s' / '%s'\n",
					WBEMU_LIST_CSV, row->f[7], row->f[8]);
				goto out;
			}
			c->income = wbemu_incomes[inc];
			c->lending = wbemu_lendings[len2];
			/* Admin regions group the economies that are not
			 * high income (JPN: none; AFG: SAS in 2021). */
			c->admin = inc == 0 ? wbemu_empty : wbemu_admins[reg];
		}
	}
	rc = 0;
out:
	if (rc != 0 && errno == ENOMEM)
		fprintf(stderr, "wbemu: out of memory\n");
	csv_free(&csv);
	return rc;
}

static long find_cty(const struct wbemu *emu, const char *code)
{
	size_t i;

	for (i = 0; i < emu->ncty; i++)
		if (strcasecmp(emu->cty[i].id, code) == 0)
			return (long)i;
	for (i = 0; i < emu->ncty; i++)
		if (strcasecmp(emu->cty[i].iso2, code) == 0)
			return (long)i;
	return -1;
}

static const struct wbemu *sort_emu; /* only during wbemu_load() */

static int cmp_order(const void *pa, const void *pb)
{
	const struct wbemu_econ *a = &sort_emu->econ[*(const size_t *)pa];
	const struct wbemu_econ *b = &sort_emu->econ[*(const size_t *)pb];
	int c;

	if (a->aggregate != b->aggregate)
		return a->aggregate ? -1 : 1;
	c = strcmp(a->sortkey, b->sortkey);
	if (c == 0)
		c = strcmp(a->name, b->name);
	return c != 0 ? c : strcmp(a->code, b->code);
}

static long find_econ(const struct wbemu *emu, const char *code)
{
	size_t i;

	for (i = 0; i < emu->necon; i++)
		if (strcmp(emu->econ[i].code, code) == 0)
			return (long)i;
	return -1;
}

/* Indicator K from the wide CSV FILE (the WDI bulk download's layout).
 * The first (K 0, GDP) makes the economies and the years; a later one
 * must have the same years and only economies the first has. */
static int load_ind(struct wbemu *emu, const char *dir, const char *file,
		    size_t k)
{
	struct wbemu_csv csv;
	struct wbemu_ind *ind = &emu->ind[k];
	char err[128], lu[16] = "";
	char *text;
	size_t len, r, hdr = 0;
	int rc = -1, y;

	text = read_file(dir, file, &len);
	if (text == NULL)
		return -1;
	if (csv_parse(text, len, &csv, err, sizeof(err)) != 0) {
		fprintf(stderr, "wbemu: %s: %s\n", file, err);
		free(text);
		return -1;
	}
	free(text);
	for (r = 0; r < csv.n; r++) {
		struct wbemu_row *row = &csv.rows[r];

		if (row->n >= 2 && strcmp(row->f[0], "Last Updated Date") == 0)
			snprintf(lu, sizeof(lu), "%s", row->f[1]);
		if (row->n >= 5 && strcmp(row->f[0], "Country Name") == 0) {
			hdr = r;
			break;
		}
	}
	if (r == csv.n || lu[0] == '\0') {
		fprintf(stderr, "wbemu: %s: no header line\n", file);
		goto out;
	}
	if (k == 0)
		memcpy(emu->lastupdated, lu, sizeof(lu));
	/* Columns 4.. are consecutive years; a trailing comma adds one
	 * empty column. */
	{
		struct wbemu_row *h = &csv.rows[hdr];
		size_t c;
		int year0 = atoi(h->f[4]);

		for (c = 4; c < h->n && h->f[c][0] != '\0'; c++) {
			if (atoi(h->f[c]) != year0 + (int)(c - 4)) {
				fprintf(stderr,
					"wbemu: %s: years not "
					"consecutive\n",
					file);
				goto out;
			}
		}
		if (k == 0) {
			emu->year0 = year0;
			emu->nyears = (int)(c - 4);
		}
		if (emu->year0 < 1000 || emu->nyears < 1 ||
		    year0 != emu->year0 || (int)(c - 4) != emu->nyears) {
			fprintf(stderr, "wbemu: %s: no years, or not those "
					"of the GDP file\n",
				file);
			goto out;
		}
	}
	if (k == 0) {
		emu->econ = calloc(csv.n, sizeof(*emu->econ));
		if (emu->econ == NULL)
			goto out;
	}
	for (r = hdr + 1; r < csv.n; r++) {
		struct wbemu_row *row = &csv.rows[r];
		struct wbemu_econ *e;
		long ci;

		if (row->n == 0)
			continue;
		if (row->n < (size_t)(4 + emu->nyears) ||
		    !is_code(row->f[1], 3) || row->f[3][0] == '\0' ||
		    strlen(row->f[3]) >= sizeof(ind->id) ||
		    (ind->id[0] != '\0' && strcmp(row->f[3], ind->id) != 0)) {
			fprintf(stderr, "wbemu: %s: bad row %zu\n", file,
				r + 1);
			goto out;
		}
		if (ind->name == NULL) {
			memcpy(ind->id, row->f[3], strlen(row->f[3]) + 1);
			ind->name = strdup(row->f[2]);
			if (ind->name == NULL)
				goto out;
		}
		if (k == 0) {
			e = &emu->econ[emu->necon++];
			memcpy(e->code, row->f[1], 4);
			e->name = strdup(row->f[0]);
			e->sortkey = e->name ? fold_name(e->name) : NULL;
			if (e->name == NULL || e->sortkey == NULL)
				goto out;
			ci = find_cty(emu, e->code);
			e->cty = ci;
			if (ci >= 0) {
				e->aggregate = emu->cty[ci].aggregate;
				emu->cty[ci].econ = (long)emu->necon - 1;
			}
		} else {
			long ei = find_econ(emu, row->f[1]);

			if (ei < 0 || emu->econ[ei].vals[k] != NULL) {
				fprintf(stderr, "wbemu: %s: row %zu: economy "
						"not in the GDP file, or "
						"twice\n",
					file, r + 1);
				goto out;
			}
			e = &emu->econ[ei];
		}
		e->vals[k] = calloc((size_t)emu->nyears, sizeof(*e->vals[k]));
		if (e->vals[k] == NULL)
			goto out;
		for (y = 0; y < emu->nyears; y++) {
			const char *cell = row->f[4 + y];

			if (cell[0] == '\0')
				continue;
			if (!is_json_number(cell)) {
				fprintf(stderr,
					"wbemu: %s: row %zu: bad value "
					"'%s'\n",
					file, r + 1, cell);
				goto out;
			}
			e->vals[k][y] = strdup(cell);
			if (e->vals[k][y] == NULL)
				goto out;
		}
	}
	emu->nind = k + 1;
	if (k > 0) {
		rc = 0;
		goto out;
	}
	emu->order =
		malloc((emu->necon ? emu->necon : 1) * sizeof(*emu->order));
	if (emu->order == NULL)
		goto out;
	for (r = 0; r < emu->necon; r++)
		emu->order[r] = r;
	sort_emu = emu; /* wbemu_load() is not thread-safe anyway */
	qsort(emu->order, emu->necon, sizeof(*emu->order), cmp_order);
	sort_emu = NULL;
	rc = 0;
out:
	csv_free(&csv);
	return rc;
}

int wbemu_load(struct wbemu **out, const char *dir)
{
	struct wbemu *emu = calloc(1, sizeof(*emu));

	*out = NULL;
	if (emu == NULL) {
		fprintf(stderr, "wbemu: out of memory\n");
		return -1;
	}
	if (load_list(emu, dir) != 0 ||
	    load_ind(emu, dir, WBEMU_GDP_CSV, 0) != 0 ||
	    load_ind(emu, dir, WBEMU_GEN_CSV, 1) != 0 ||
	    (emu->html_400 = read_file(dir, WBEMU_HTML_400,
				       &emu->html_400_len)) == NULL) {
		wbemu_free(emu);
		return -1;
	}
	*out = emu;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reply helpers                                                       */

struct sbuf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		char *np;

		while (nc < b->n + n + 1)
			nc *= 2;
		np = realloc(b->p, nc);
		if (np == NULL) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->oom = true;
		return;
	}
	sb_putn(b, tmp, (size_t)n);
}

/* XML text and attribute escaping. */
static void sb_xml(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			sb_puts(b, "&amp;");
			break;
		case '<':
			sb_puts(b, "&lt;");
			break;
		case '>':
			sb_puts(b, "&gt;");
			break;
		case '"':
			sb_puts(b, "&quot;");
			break;
		case '\'':
			sb_puts(b, "&apos;");
			break;
		default:
			sb_putn(b, s, 1);
		}
	}
}

/* <wb:NAME>text</wb:NAME>, or <wb:NAME /> when TEXT is empty. */
static void sb_xml_elem(struct sbuf *b, const char *name, const char *text)
{
	if (text == NULL || text[0] == '\0') {
		sb_printf(b, "<wb:%s />", name);
		return;
	}
	sb_printf(b, "<wb:%s>", name);
	sb_xml(b, text);
	sb_printf(b, "</wb:%s>", name);
}

static int reply_take(struct wbemu_reply *out, struct sbuf *b, int status,
		      const char *ct)
{
	if (b->oom || b->p == NULL) {
		free(b->p);
		return -1;
	}
	out->status = status;
	out->content_type = ct;
	out->body = b->p;
	out->len = b->n;
	return 0;
}

static int reply_json(struct wbemu_reply *out, cJSON *doc)
{
	char *text;

	if (doc == NULL)
		return -1;
	text = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	if (text == NULL)
		return -1;
	out->status = 200;
	out->content_type = WBEMU_CT_JSON;
	out->body = text;
	out->len = strlen(text);
	return 0;
}

static int reply_text(struct wbemu_reply *out, int status, const char *text)
{
	struct sbuf b = { 0 };

	sb_puts(&b, text);
	return reply_take(out, &b, status, WBEMU_CT_TEXT);
}

struct apimsg {
	const char *id, *key, *value;
};

static const struct apimsg msg_invalid_value = {
	"120", "Invalid value", "The provided parameter value is not valid"
};
static const struct apimsg msg_invalid_format = {
	"111", "Invalid format", "The requested response format was not found."
};
static const struct apimsg msg_language = {
	"150", "Language is not yet supported in the API",
	"Response requested in an unsupported language."
};

/* An error body with COUNT copies of M, HTTP 200 (API.md §5). */
static int reply_error(struct wbemu_reply *out, bool json,
		       const struct apimsg *m, size_t count)
{
	size_t i;

	if (count == 0)
		count = 1;
	if (json) {
		cJSON *doc = cJSON_CreateArray(), *o = cJSON_CreateObject();
		cJSON *list = NULL;

		if (doc == NULL || o == NULL ||
		    !cJSON_AddItemToArray(doc, o) ||
		    (list = cJSON_AddArrayToObject(o, "message")) == NULL) {
			if (o != NULL && doc != NULL && o->prev == NULL)
				cJSON_Delete(o);
			cJSON_Delete(doc);
			return -1;
		}
		for (i = 0; i < count; i++) {
			cJSON *e = cJSON_CreateObject();

			if (e == NULL || !cJSON_AddItemToArray(list, e) ||
			    !cJSON_AddStringToObject(e, "id", m->id) ||
			    !cJSON_AddStringToObject(e, "key", m->key) ||
			    !cJSON_AddStringToObject(e, "value", m->value)) {
				cJSON_Delete(doc);
				return -1;
			}
		}
		return reply_json(out, doc);
	} else {
		struct sbuf b = { 0 };

		sb_puts(&b, WBEMU_BOM
			"<?xml version=\"1.0\" encoding=\"utf-8\"?>"
			"\r\n<wb:error xmlns:wb=\"" WBEMU_NS "\">\r\n");
		for (i = 0; i < count; i++) {
			sb_puts(&b, "  <wb:message id=\"");
			sb_xml(&b, m->id);
			sb_puts(&b, "\" key=\"");
			sb_xml(&b, m->key);
			sb_puts(&b, "\">");
			sb_xml(&b, m->value);
			sb_puts(&b, "</wb:message>\r\n");
		}
		sb_puts(&b, "</wb:error>");
		return reply_take(out, &b, 200, WBEMU_CT_XML);
	}
}

/* ------------------------------------------------------------------ */
/* Request parsing                                                     */

#define WBEMU_MAX_SEGS 8

/* Decode %XX in place; returns false on a bad escape or a NUL byte. */
static bool pct_decode(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%') {
			int hi, lo;

			if (!isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]))
				return false;
			hi = isdigit((unsigned char)s[1])
				     ? s[1] - '0'
				     : tolower((unsigned char)s[1]) - 'a' + 10;
			lo = isdigit((unsigned char)s[2])
				     ? s[2] - '0'
				     : tolower((unsigned char)s[2]) - 'a' + 10;
			if (hi == 0 && lo == 0)
				return false;
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return true;
}

/* A positive decimal integer (at most 9 digits). */
static bool parse_pos(const char *s, long *out)
{
	long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 9)
		return false;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1)
		return false;
	*out = v;
	return true;
}

static bool parse_year(const char *s, size_t n, int *out)
{
	size_t i;

	if (n != 4)
		return false;
	for (i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	*out = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	       (s[3] - '0');
	return true;
}

struct req {
	bool json;
	long per_page, page;
	bool has_date;
	int ylo, yhi;
	long mrnev, mrv; /* 0: not given */
	bool gapfill;
	const char *source; /* NULL: not given */
	const char *region, *income, *lending; /* country list filters */
};

/* Query parameters; returns false when one has an invalid value. */
static bool parse_query(wbemu_query_fn *query, void *qctx, struct req *r)
{
	const char *v;

	memset(r, 0, sizeof(*r));
	r->per_page = WBEMU_DEFAULT_PER_PAGE;
	r->page = 1;
	v = query(qctx, "per_page");
	if (v != NULL && !parse_pos(v, &r->per_page))
		return false;
	if (r->per_page > WBEMU_MAX_PER_PAGE)
		r->per_page = WBEMU_MAX_PER_PAGE;
	v = query(qctx, "page");
	if (v != NULL && !parse_pos(v, &r->page))
		return false;
	v = query(qctx, "date");
	if (v != NULL) {
		const char *colon = strchr(v, ':');

		r->has_date = true;
		if (colon == NULL) {
			if (!parse_year(v, strlen(v), &r->ylo))
				return false;
			r->yhi = r->ylo;
		} else if (!parse_year(v, (size_t)(colon - v), &r->ylo) ||
			   !parse_year(colon + 1, strlen(colon + 1),
				       &r->yhi)) {
			return false;
		}
	}
	v = query(qctx, "mrnev");
	if (v != NULL && !parse_pos(v, &r->mrnev))
		return false;
	v = query(qctx, "mrv");
	if (v != NULL && !parse_pos(v, &r->mrv))
		return false;
	v = query(qctx, "gapfill");
	if (v != NULL && strcasecmp(v, "Y") != 0 && strcasecmp(v, "N") != 0)
		return false;
	r->gapfill = v != NULL && strcasecmp(v, "Y") == 0;
	r->source = query(qctx, "source");
	r->region = query(qctx, "region");
	r->income = query(qctx, "incomelevel");
	r->lending = query(qctx, "lendingtype");
	return true;
}

/* Resolve a ';'-separated code list into country-list indexes. Returns
 * the count, 0 when a code is unknown, -1 on ENOMEM. */
static long resolve_codes(const struct wbemu *emu, const char *codes,
			  long **idx, bool need_gdp)
{
	const char *p = codes;
	long n = 0, *arr;
	size_t cap = 1;

	for (p = codes; *p; p++)
		if (*p == ';')
			cap++;
	arr = malloc(cap * sizeof(*arr));
	if (arr == NULL)
		return -1;
	p = codes;
	while (*p) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char code[8];
		long ci;

		if (len > 0) {
			if (len > 3) {
				n = 0;
				break;
			}
			memcpy(code, p, len);
			code[len] = '\0';
			ci = find_cty(emu, code);
			if (ci < 0 || (need_gdp && emu->cty[ci].econ < 0)) {
				n = 0;
				break;
			}
			arr[n++] = ci;
		}
		p += len;
		if (*p == ';')
			p++;
	}
	if (n == 0) {
		free(arr);
		*idx = NULL;
		return 0;
	}
	*idx = arr;
	return n;
}

/* ------------------------------------------------------------------ */
/* Indicator data                                                      */

struct row_ref {
	size_t econ;
	size_t k; /* indicator */
	int y;    /* year index */
	int vy;   /* year index of the value (gapfill), -1: null */
};

/* Rows of one economy into ROWS, newest first. */
static bool econ_rows(const struct wbemu *emu, size_t ei, size_t k,
		      const struct req *r, struct row_ref **rows, size_t *n,
		      size_t *cap)
{
	const struct wbemu_econ *e = &emu->econ[ei];
	char *const *vals = e->vals[k];
	int lo = 0, hi = emu->nyears - 1, y, top;
	long taken = 0;

	if (r->has_date) {
		int a = r->ylo - emu->year0, b = r->yhi - emu->year0;

		lo = a > lo ? a : lo;
		hi = b < hi ? b : hi;
	}
	if (lo > hi)
		return true;
	top = hi;
	if (r->mrv > 0 && r->mrnev == 0) {
		/* The window ends at the latest non-empty period. */
		while (top >= lo && (vals == NULL || vals[top] == NULL))
			top--;
		if (top < lo)
			return true;
	}
	for (y = top; y >= lo; y--) {
		if (r->mrnev > 0) {
			if (vals == NULL || vals[y] == NULL)
				continue;
			if (taken >= r->mrnev)
				break;
		} else if (r->mrv > 0 && taken >= r->mrv) {
			break;
		}
		if (!push_ptr((void **)rows, n, cap, sizeof(**rows)))
			return false;
		(*rows)[*n].econ = ei;
		(*rows)[*n].k = k;
		(*rows)[*n].y = y;
		(*rows)[*n].vy = vals != NULL && vals[y] != NULL ? y : -1;
		if ((*rows)[*n].vy < 0 && r->gapfill && r->mrv > 0) {
			/* The previous available period, at most mrv back. */
			int b;

			for (b = y - 1; vals && b >= 0 && b >= y - r->mrv; b--)
				if (vals[b] != NULL) {
					(*rows)[*n].vy = b;
					break;
				}
		}
		(*n)++;
		taken++;
	}
	return true;
}

/* The part of TOTAL rows that page r->page of r->per_page holds, and
 * how many pages there are: the same for every reply and format. */
struct page_win {
	long pages;
	size_t from, to;
};

static struct page_win page_win(const struct req *r, size_t total)
{
	struct page_win w;

	w.pages = (long)((total + (size_t)r->per_page - 1) /
			 (size_t)r->per_page);
	w.from = (size_t)(r->page - 1) * (size_t)r->per_page;
	w.to = w.from + (size_t)r->per_page;
	if (w.to > total)
		w.to = total;
	return w;
}

/* The fields of one data record, as both formats write them. */
struct data_rec {
	const char *ind_id, *ind_name;
	const char *iso2, *name, *iso3;
	const char *value; /* JSON number text, NULL for null */
	char date[16];
};

static struct data_rec data_rec(const struct wbemu *emu,
				const struct row_ref *row)
{
	const struct wbemu_econ *e = &emu->econ[row->econ];
	struct data_rec d;

	d.ind_id = emu->ind[row->k].id;
	d.ind_name = emu->ind[row->k].name;
	d.iso2 = e->cty >= 0 ? emu->cty[e->cty].iso2 : "";
	d.name = e->name;
	d.iso3 = e->code;
	d.value = row->vy >= 0 ? e->vals[row->k][row->vy] : NULL;
	snprintf(d.date, sizeof(d.date), "%d", emu->year0 + row->y);
	return d;
}

static int data_json(const struct wbemu *emu, const struct req *r,
		     const struct row_ref *rows, size_t total, bool multi,
		     struct wbemu_reply *out)
{
	cJSON *doc = cJSON_CreateArray(), *hdr, *list;
	struct page_win w = page_win(r, total);
	size_t i;

	if (doc == NULL)
		return -1;
	hdr = cJSON_CreateObject();
	if (hdr == NULL || !cJSON_AddItemToArray(doc, hdr))
		goto fail;
	if (total == 0) {
		/* The zero-record reply of API.md §2. */
		if (!cJSON_AddNumberToObject(hdr, "page", 0) ||
		    !cJSON_AddNumberToObject(hdr, "pages", 0) ||
		    !cJSON_AddNumberToObject(hdr, "per_page", 0) ||
		    !cJSON_AddNumberToObject(hdr, "total", 0) ||
		    !cJSON_AddNullToObject(hdr, "sourceid") ||
		    !cJSON_AddNullToObject(hdr, "lastupdated") ||
		    !cJSON_AddItemToArray(doc, cJSON_CreateNull()))
			goto fail;
		return reply_json(out, doc);
	}
	if (!cJSON_AddNumberToObject(hdr, "page", (double)r->page) ||
	    !cJSON_AddNumberToObject(hdr, "pages", (double)w.pages) ||
	    !cJSON_AddNumberToObject(hdr, "per_page", (double)r->per_page) ||
	    !cJSON_AddNumberToObject(hdr, "total", (double)total) ||
	    !(multi ? cJSON_AddNullToObject(hdr, "sourceid") != NULL &&
			      cJSON_AddNullToObject(hdr, "sourcename") != NULL
		    : cJSON_AddStringToObject(hdr, "sourceid",
					      WBEMU_SOURCE) != NULL) ||
	    !cJSON_AddStringToObject(hdr, "lastupdated", emu->lastupdated))
		goto fail;
	list = cJSON_CreateArray();
	if (list == NULL || !cJSON_AddItemToArray(doc, list))
		goto fail;
	for (i = w.from; i < w.to; i++) {
		struct data_rec d = data_rec(emu, &rows[i]);
		cJSON *rec = cJSON_CreateObject(), *ind, *cty;

		if (rec == NULL || !cJSON_AddItemToArray(list, rec) ||
		    (ind = cJSON_AddObjectToObject(rec, "indicator")) ==
			    NULL ||
		    !cJSON_AddStringToObject(ind, "id", d.ind_id) ||
		    !cJSON_AddStringToObject(ind, "value", d.ind_name) ||
		    (cty = cJSON_AddObjectToObject(rec, "country")) == NULL ||
		    !cJSON_AddStringToObject(cty, "id", d.iso2) ||
		    !cJSON_AddStringToObject(cty, "value", d.name) ||
		    !cJSON_AddStringToObject(rec, "countryiso3code",
					     d.iso3) ||
		    !cJSON_AddStringToObject(rec, "date", d.date) ||
		    !(d.value ? cJSON_AddRawToObject(rec, "value", d.value)
			      : cJSON_AddNullToObject(rec, "value")) ||
		    !cJSON_AddStringToObject(rec, "unit", "") ||
		    !cJSON_AddStringToObject(rec, "obs_status", "") ||
		    !cJSON_AddNumberToObject(rec, "decimal", 0))
			goto fail;
	}
	return reply_json(out, doc);
fail:
	cJSON_Delete(doc);
	return -1;
}

static int data_xml(const struct wbemu *emu, const struct req *r,
		    const struct row_ref *rows, size_t total,
		    struct wbemu_reply *out)
{
	struct sbuf b = { 0 };
	struct page_win w = page_win(r, total);
	size_t i;

	sb_puts(&b, WBEMU_BOM "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
	if (total == 0) {
		sb_puts(&b, "<wb:data page=\"0\" pages=\"0\" per_page=\"0\" "
			    "total=\"0\" xmlns:wb=\"" WBEMU_NS "\" />");
		return reply_take(out, &b, 200, WBEMU_CT_XML);
	}
	sb_printf(&b,
		  "<wb:data page=\"%ld\" pages=\"%ld\" per_page=\"%ld\" "
		  "total=\"%zu\" lastupdated=\"%s\" xmlns:wb=\"" WBEMU_NS
		  "\">",
		  r->page, w.pages, r->per_page, total, emu->lastupdated);
	for (i = w.from; i < w.to; i++) {
		struct data_rec d = data_rec(emu, &rows[i]);

		sb_puts(&b, "<wb:data><wb:indicator id=\"");
		sb_xml(&b, d.ind_id);
		sb_puts(&b, "\">");
		sb_xml(&b, d.ind_name);
		sb_puts(&b, "</wb:indicator><wb:country id=\"");
		sb_xml(&b, d.iso2);
		sb_puts(&b, "\">");
		sb_xml(&b, d.name);
		sb_puts(&b, "</wb:country>");
		sb_xml_elem(&b, "countryiso3code", d.iso3);
		sb_printf(&b, "<wb:date>%s</wb:date>", d.date);
		sb_xml_elem(&b, "value", d.value);
		/* The spacing of the 2018 recording (API.md §3). */
		sb_puts(&b, " <wb:unit /> <wb:obs_status /> "
			    "<wb:decimal>0</wb:decimal></wb:data>");
	}
	sb_puts(&b, "</wb:data>");
	return reply_take(out, &b, 200, WBEMU_CT_XML);
}

/* The ';' parts of IND as indicator indexes into KS (room for
 * WBEMU_MAX_IND); returns how many parts are not emulated indicators
 * (each gets one 120 message, API.md section 5), *NK the good ones. An
 * indicator asked for twice counts once. */
static size_t parse_indicators(const struct wbemu *emu, const char *ind,
			       size_t *ks, size_t *nk, size_t *nparts)
{
	size_t bad = 0, len, k, j;
	const char *p = ind;

	*nk = 0;
	*nparts = 0;
	if (*p == '\0')
		return 1;
	while (*p) {
		const char *e = strchr(p, ';');

		len = e ? (size_t)(e - p) : strlen(p);
		(*nparts)++;
		for (k = 0; k < emu->nind; k++)
			if (len == strlen(emu->ind[k].id) &&
			    strncasecmp(p, emu->ind[k].id, len) == 0)
				break;
		if (k == emu->nind) {
			bad++;
		} else {
			for (j = 0; j < *nk && ks[j] != k; j++)
				;
			if (j == *nk)
				ks[(*nk)++] = k;
		}
		p += len;
		if (*p == ';')
			p++;
	}
	return bad;
}

/* source=: absent or the emulated database. A source that is not a
 * number gets the recorded 400 HTML page (API.md section 5); another
 * number is a database without these indicators, which the API answers
 * with an XML error even when JSON was asked (wbgapi#17, CLIENTS.md).
 * Returns 1 when *OUT holds that answer (or -1 on ENOMEM), else 0. */
static int check_source(const struct wbemu *emu, const struct req *r,
			struct wbemu_reply *out)
{
	const char *p;

	if (r->source == NULL || strcmp(r->source, WBEMU_SOURCE) == 0)
		return 0;
	for (p = r->source; *p && isdigit((unsigned char)*p); p++)
		;
	if (*p != '\0' || r->source[0] == '\0') {
		struct sbuf b = { 0 };

		sb_putn(&b, emu->html_400, emu->html_400_len);
		return reply_take(out, &b, 400, "text/html") ? -1 : 1;
	}
	return reply_error(out, false, &msg_invalid_value, 1) ? -1 : 1;
}

static int handle_data(const struct wbemu *emu, const char *codes,
		       const char *ind, const struct req *r,
		       struct wbemu_reply *out)
{
	struct row_ref *rows = NULL;
	size_t n = 0, cap = 0, i, bad, ks[WBEMU_MAX_IND], nk, nparts, k;
	long *idx = NULL, nidx = 0;
	int rc;

	rc = check_source(emu, r, out);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (strcasecmp(codes, "all") != 0) {
		nidx = resolve_codes(emu, codes, &idx, true);
		if (nidx < 0)
			return -1;
		if (nidx == 0)
			return reply_error(out, r->json, &msg_invalid_value,
					   1);
	}
	bad = parse_indicators(emu, ind, ks, &nk, &nparts);
	/* Several indicators need a source (API.md section 1); the
	 * answer without one is not recorded: a 120 message, decided. */
	if (bad == 0 && nparts > 1 && r->source == NULL)
		bad = 1;
	if (bad > 0) {
		free(idx);
		return reply_error(out, r->json, &msg_invalid_value, bad);
	}
	/* Indicator by indicator, each economy's rows (the recorded
	 * JPN;USA answer for two indicators starts with all of JPN's GDP
	 * rows; that the next indicator follows every economy is
	 * decided). */
	for (k = 0; k < nk; k++) {
		if (idx == NULL) {
			for (i = 0; i < emu->necon; i++)
				if (!econ_rows(emu, emu->order[i], ks[k], r,
					       &rows, &n, &cap))
					goto nomem;
		} else {
			for (i = 0; i < (size_t)nidx; i++)
				if (!econ_rows(emu,
					       (size_t)emu->cty[idx[i]].econ,
					       ks[k], r, &rows, &n, &cap))
					goto nomem;
		}
	}
	rc = r->json ? data_json(emu, r, rows, n, nparts > 1, out)
		     : data_xml(emu, r, rows, n, out);
	free(rows);
	free(idx);
	return rc;
nomem:
	free(rows);
	free(idx);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Country list                                                        */

/* Entry I of a country list: of the selection SEL, or of all. */
static const struct wbemu_cty *cty_at(const struct wbemu *emu,
				      const long *sel, size_t i)
{
	return &emu->cty[sel ? (size_t)sel[i] : i];
}

static bool json_code_obj(cJSON *rec, const char *name,
			  const struct wbemu_code *c)
{
	cJSON *o = cJSON_AddObjectToObject(rec, name);

	return o != NULL && cJSON_AddStringToObject(o, "id", c->id) &&
	       cJSON_AddStringToObject(o, "iso2code", c->iso2) &&
	       cJSON_AddStringToObject(o, "value", c->value);
}

static int list_json(const struct wbemu *emu, const long *sel, size_t total,
		     const struct req *r, struct wbemu_reply *out)
{
	cJSON *doc = cJSON_CreateArray(), *hdr, *list;
	struct page_win w = page_win(r, total);
	char pp[24];
	size_t i;

	if (doc == NULL)
		return -1;
	snprintf(pp, sizeof(pp), "%ld", r->per_page);
	hdr = cJSON_CreateObject();
	if (hdr == NULL || !cJSON_AddItemToArray(doc, hdr) ||
	    !cJSON_AddNumberToObject(hdr, "page", (double)r->page) ||
	    !cJSON_AddNumberToObject(hdr, "pages", (double)w.pages) ||
	    !cJSON_AddStringToObject(hdr, "per_page", pp) ||
	    !cJSON_AddNumberToObject(hdr, "total", (double)total))
		goto fail;
	list = cJSON_CreateArray();
	if (list == NULL || !cJSON_AddItemToArray(doc, list))
		goto fail;
	for (i = w.from; i < w.to; i++) {
		const struct wbemu_cty *c = cty_at(emu, sel, i);
		cJSON *rec = cJSON_CreateObject();

		if (rec == NULL || !cJSON_AddItemToArray(list, rec) ||
		    !cJSON_AddStringToObject(rec, "id", c->id) ||
		    !cJSON_AddStringToObject(rec, "iso2Code", c->iso2) ||
		    !cJSON_AddStringToObject(rec, "name", c->name) ||
		    !json_code_obj(rec, "region", &c->region) ||
		    !json_code_obj(rec, "adminregion", &c->admin) ||
		    !json_code_obj(rec, "incomeLevel", &c->income) ||
		    !json_code_obj(rec, "lendingType", &c->lending) ||
		    !cJSON_AddStringToObject(rec, "capitalCity", c->capital) ||
		    !cJSON_AddStringToObject(rec, "longitude", c->lon) ||
		    !cJSON_AddStringToObject(rec, "latitude", c->lat))
			goto fail;
	}
	return reply_json(out, doc);
fail:
	cJSON_Delete(doc);
	return -1;
}

static void xml_code_elem(struct sbuf *b, const char *name,
			  const struct wbemu_code *c)
{
	sb_printf(b, "    <wb:%s id=\"", name);
	sb_xml(b, c->id);
	sb_puts(b, "\" iso2code=\"");
	sb_xml(b, c->iso2);
	if (c->value[0] == '\0') {
		sb_puts(b, "\" />\r\n");
		return;
	}
	sb_puts(b, "\">");
	sb_xml(b, c->value);
	sb_printf(b, "</wb:%s>\r\n", name);
}

static int list_xml(const struct wbemu *emu, const long *sel, size_t total,
		    const struct req *r, struct wbemu_reply *out)
{
	struct sbuf b = { 0 };
	struct page_win w = page_win(r, total);
	size_t i;

	sb_printf(&b,
		  WBEMU_BOM
		  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
		  "<wb:countries page=\"%ld\" pages=\"%ld\" "
		  "per_page=\"%ld\" total=\"%zu\" xmlns:wb=\"" WBEMU_NS
		  "\">\r\n",
		  r->page, w.pages, r->per_page, total);
	for (i = w.from; i < w.to; i++) {
		const struct wbemu_cty *c = cty_at(emu, sel, i);

		sb_puts(&b, "  <wb:country id=\"");
		sb_xml(&b, c->id);
		sb_puts(&b, "\">\r\n    ");
		sb_xml_elem(&b, "iso2Code", c->iso2);
		sb_puts(&b, "\r\n    ");
		sb_xml_elem(&b, "name", c->name);
		sb_puts(&b, "\r\n");
		xml_code_elem(&b, "region", &c->region);
		xml_code_elem(&b, "adminregion", &c->admin);
		xml_code_elem(&b, "incomeLevel", &c->income);
		xml_code_elem(&b, "lendingType", &c->lending);
		sb_puts(&b, "    ");
		sb_xml_elem(&b, "capitalCity", c->capital);
		sb_puts(&b, "\r\n    ");
		sb_xml_elem(&b, "longitude", c->lon);
		sb_puts(&b, "\r\n    ");
		sb_xml_elem(&b, "latitude", c->lat);
		sb_puts(&b, "\r\n  </wb:country>\r\n");
	}
	sb_puts(&b, "</wb:countries>");
	return reply_take(out, &b, 200, WBEMU_CT_XML);
}

/* A filter value of the country list (region=, incomelevel=,
 * lendingtype=) names a group some entry has. */
static bool group_known(const struct wbemu *emu, size_t field,
			const char *want)
{
	size_t i;

	for (i = 0; i < emu->ncty; i++) {
		const struct wbemu_code *c =
			(const void *)((const char *)&emu->cty[i] + field);

		if (c->id[0] != '\0' && strcasecmp(c->id, want) == 0)
			return true;
	}
	return false;
}

static bool group_is(const char *want, const struct wbemu_code *have)
{
	return want == NULL || strcasecmp(have->id, want) == 0;
}

static bool group_match(const struct wbemu_cty *c, const struct req *r)
{
	return group_is(r->region, &c->region) &&
	       group_is(r->income, &c->income) &&
	       group_is(r->lending, &c->lending);
}

static int handle_list(const struct wbemu *emu, const char *codes,
		       const struct req *r, struct wbemu_reply *out)
{
	long *idx = NULL, n;
	size_t total = emu->ncty, i, k;
	int rc;

	if (codes != NULL && strcasecmp(codes, "all") != 0) {
		n = resolve_codes(emu, codes, &idx, false);
		if (n < 0)
			return -1;
		if (n == 0)
			return reply_error(out, r->json, &msg_invalid_value,
					   1);
		total = (size_t)n;
	}
	if (r->region != NULL || r->income != NULL || r->lending != NULL) {
		/* Filters by group; an unknown value is a 120 message, as
		 * recorded for region=invalid_region_id (API.md section 5). */
		long *sel;

		if ((r->region &&
		     !group_known(emu, offsetof(struct wbemu_cty, region),
				  r->region)) ||
		    (r->income &&
		     !group_known(emu, offsetof(struct wbemu_cty, income),
				  r->income)) ||
		    (r->lending &&
		     !group_known(emu, offsetof(struct wbemu_cty, lending),
				  r->lending))) {
			free(idx);
			return reply_error(out, r->json, &msg_invalid_value,
					   1);
		}
		sel = malloc((total ? total : 1) * sizeof(*sel));
		if (sel == NULL) {
			free(idx);
			return -1;
		}
		for (i = 0, k = 0; i < total; i++) {
			size_t ci = idx ? (size_t)idx[i] : i;

			if (group_match(&emu->cty[ci], r))
				sel[k++] = (long)ci;
		}
		free(idx);
		idx = sel;
		total = k;
	}
	rc = r->json ? list_json(emu, idx, total, r, out)
		     : list_xml(emu, idx, total, r, out);
	free(idx);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

static bool seg_is(const char *seg, const char *a, const char *b)
{
	return strcasecmp(seg, a) == 0 || strcasecmp(seg, b) == 0;
}

int wbemu_handle(const struct wbemu *emu, const char *path,
		 wbemu_query_fn *query, void *qctx, struct wbemu_reply *out)
{
	char *copy, *segs[WBEMU_MAX_SEGS], *p, *save = NULL;
	const char *fmt;
	struct req r;
	size_t n = 0, s0 = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	fmt = query(qctx, "format");
	if (fmt != NULL && strcasecmp(fmt, "json") != 0 &&
	    strcasecmp(fmt, "xml") != 0)
		return reply_error(out, false, &msg_invalid_format, 1);
	copy = strdup(path ? path : "");
	if (copy == NULL)
		return -1;
	for (p = strtok_r(copy, "/", &save); p != NULL;
	     p = strtok_r(NULL, "/", &save)) {
		if (n == WBEMU_MAX_SEGS || !pct_decode(p)) {
			free(copy);
			return reply_text(out, 404, "not found\n");
		}
		segs[n++] = p;
	}
	if (!parse_query(query, qctx, &r)) {
		bool json = fmt != NULL && strcasecmp(fmt, "json") == 0;

		free(copy);
		return reply_error(out, json, &msg_invalid_value, 1);
	}
	r.json = fmt != NULL && strcasecmp(fmt, "json") == 0;
	/* An optional language segment before the resource. */
	if (n > 0 && strlen(segs[0]) == 2 &&
	    isalpha((unsigned char)segs[0][0]) &&
	    isalpha((unsigned char)segs[0][1])) {
		if (strcasecmp(segs[0], "en") != 0) {
			free(copy);
			return reply_error(out, r.json, &msg_language, 1);
		}
		s0 = 1;
	}
	if (n > s0 && seg_is(segs[s0], "country", "countries")) {
		size_t k = n - s0;

		if (k == 1)
			rc = handle_list(emu, NULL, &r, out);
		else if (k == 2)
			rc = handle_list(emu, segs[s0 + 1], &r, out);
		else if (k == 4 &&
			 seg_is(segs[s0 + 2], "indicator", "indicators"))
			rc = handle_data(emu, segs[s0 + 1], segs[s0 + 3], &r,
					 out);
		else
			rc = reply_text(out, 404, "not found\n");
	} else {
		rc = reply_text(out, 404, "not found\n");
	}
	free(copy);
	return rc;
}
