/* File names: from URLs, out= checks, and the collision table.
 *
 * Design: names are sanitised byte by byte into a fresh buffer, so no input
 * byte can survive unless it is known to be harmless. The collision table is
 * an open-addressing hash set of the final names; each entry also remembers
 * the next suffix to try for that name, so N jobs that all want
 * "index.html" cost O(N) probes in total rather than O(N^2). */
#include "names.h"
#include "error.h"
#include "hash.h"
#include "url.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An extension longer than this is not treated as one when a name is cut or
 * suffixed ("a.<190 bytes>" is one long stem). */
#define NAMES_EXT_MAX 16
#define NAMES_PART ".part"
#define NAMES_PART_LEN 5

/* Characters that must not reach a file name: C0, DEL, C1, and the Unicode
 * marks that reorder how a name is displayed (a right-to-left override can
 * make "txt.exe" look like "exe.txt"). */
static int names_bad_char(unsigned long cp)
{
	return fp_utf8_is_control(cp) || cp == '/' || cp == '\\' ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the extension of s (its last '.' and what follows), or 0 when
 * there is none usable: no dot, a dot at the start, nothing after the dot,
 * or longer than NAMES_EXT_MAX. */
static size_t names_ext_len(const char *s, size_t len)
{
	const char *dot = NULL;
	size_t i;

	for (i = len; i > 1; i--) {
		if (s[i - 1] == '.') {
			dot = s + i - 1;
			break;
		}
	}
	if (!dot || dot == s + len - 1)
		return 0;
	if ((size_t)(s + len - dot) > NAMES_EXT_MAX)
		return 0;
	return (size_t)(s + len - dot);
}

/* Longest prefix of the valid UTF-8 string s not above max bytes that ends
 * on a character boundary. */
static size_t names_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* malloc'd stem + mid + ext, with stem cut so the whole fits FP_NAME_MAX.
 * mid and ext together are always far below FP_NAME_MAX here. */
static char *names_compose(const char *stem, size_t stem_len, const char *mid,
			   const char *ext, size_t ext_len)
{
	size_t mid_len = strlen(mid), keep;
	char *out;

	keep = names_cut(stem, stem_len, FP_NAME_MAX - mid_len - ext_len);
	out = malloc(keep + mid_len + ext_len + 1);
	if (!out)
		return NULL;
	memcpy(out, stem, keep);
	memcpy(out + keep, mid, mid_len);
	memcpy(out + keep + mid_len, ext, ext_len);
	out[keep + mid_len + ext_len] = '\0';
	return out;
}

static int names_ends_part(const char *s, size_t len)
{
	return len >= NAMES_PART_LEN &&
	       memcmp(s + len - NAMES_PART_LEN, NAMES_PART, NAMES_PART_LEN) == 0;
}

/* Take ownership of a sanitised name: cap its length keeping the extension,
 * then move it off the reserved ".part" suffix. */
static int names_finish(char *s, char **name)
{
	size_t len = strlen(s);

	if (len > FP_NAME_MAX) {
		size_t ext = names_ext_len(s, len);
		char *cut = names_compose(s, len - ext, "", s + len - ext, ext);

		free(s);
		if (!cut)
			return FP_ENOMEM;
		s = cut;
		len = strlen(s);
	}
	if (names_ends_part(s, len)) {
		char *fixed = names_compose(s, len - NAMES_PART_LEN, "",
					    NAMES_PART "_",
					    NAMES_PART_LEN + 1);

		free(s);
		if (!fixed)
			return FP_ENOMEM;
		s = fixed;
	}
	*name = s;
	return FP_OK;
}

int fp_name_from_url(const char *url, char **name)
{
	const unsigned char *dec;
	char *seg, *out;
	size_t n, i, o = 0;
	int rc;

	if (!url || !name)
		return FP_EINVAL;
	*name = NULL;
	rc = fp_url_last_segment(url, &seg, &n);
	if (rc != FP_OK)
		return rc;
	if (n == 0) {
		free(seg);
		out = strdup(FP_NAME_INDEX);
		if (!out)
			return FP_ENOMEM;
		*name = out;
		return FP_OK;
	}

	/* Each replaced character becomes one '_', so n bytes suffice. */
	out = malloc(n + 1);
	if (!out) {
		free(seg);
		return FP_ENOMEM;
	}
	dec = (const unsigned char *)seg;
	for (i = 0; i < n;) {
		unsigned long cp;
		size_t len = fp_utf8_char(dec + i, n - i, &cp);

		if (len == 0) {
			out[o++] = '_';
			i++;
		} else if (names_bad_char(cp)) {
			out[o++] = '_';
			i += len;
		} else {
			memcpy(out + o, dec + i, len);
			o += len;
			i += len;
		}
	}
	out[o] = '\0';
	free(seg);
	if (out[0] == '.')
		out[0] = '_';
	return names_finish(out, name);
}

/* The rules shared by fp_name_check_out() and fp_names_claim(), except the
 * ".part" one; returns NULL or the reason. */
static const char *names_problem(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return "is empty";
	if (len > FP_NAME_MAX)
		return "is longer than 200 bytes";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "is '.' or '..'";
	if (strchr(name, '/'))
		return "contains '/'";
	if (strchr(name, '\\'))
		return "contains '\\'";
	if (name[0] == '.')
		return "starts with '.' (hidden)";
	for (i = 0; i < len;) {
		unsigned long cp;
		size_t n = fp_utf8_char((const unsigned char *)name + i,
					len - i, &cp);

		if (n == 0)
			return "is not valid UTF-8";
		if (names_bad_char(cp))
			return "contains a control character";
		i += n;
	}
	return NULL;
}

int fp_name_check_out(const char *name, const char **reason)
{
	const char *why;
	size_t len;

	if (!name) {
		why = "is missing";
	} else {
		len = strlen(name);
		why = names_problem(name, len);
		if (!why && names_ends_part(name, len))
			why = "ends in .part (reserved for partial downloads)";
	}
	if (reason)
		*reason = why;
	return why ? FP_EINVAL : FP_OK;
}

/* Why the folder [dir, dir + len) is not a usable dir=, or NULL. */
static const char *names_dir_problem(const char *dir, size_t len)
{
	char comp[FP_NAME_MAX + 1];
	const char *p = dir, *end = dir + len;

	if (len == 0)
		return "is empty";
	if (dir[0] == '/')
		return "is an absolute path";
	if (len > FP_DIR_MAX)
		return "is longer than 255 bytes";
	while (p <= end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = (size_t)((slash ? slash : end) - p);
		const char *why;

		if (n == 0)
			return "has an empty component ('//')";
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "has a '..' component";
		if (n == 1 && p[0] == '.')
			return "has a '.' component";
		if (n > FP_NAME_MAX)
			return "has a component longer than 200 bytes";
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (fp_name_check_out(comp, &why) != FP_OK)
			return why;
		p += n + 1;
	}
	return NULL;
}

int fp_name_check_dir(const char *dir, const char **reason)
{
	const char *why = dir ? names_dir_problem(dir, strlen(dir))
			      : "is missing";

	if (reason)
		*reason = why;
	return why ? FP_EINVAL : FP_OK;
}

/* ---- collision table ---- */

/* Only a 64-bit hash of each name is kept, 8 bytes a slot at a load of at
 * most 3/4: a list of a million lines costs 16 MB here (24 MB while the
 * table doubles), instead of about 90 MB with the strings. Two names with
 * the same hash (p ~ 3e-8 for a million names) would give the second one
 * an unneeded ".k" suffix: harmless, and the same on every run, since it
 * depends only on the names. The next suffix to try for a name is kept
 * apart, only for names wanted more than once: most lists have none, and
 * a counter in every slot would double the table. */
struct names_next {
	uint64_t hash;       /* 0: empty slot */
	unsigned long next;  /* next suffix to try when this name is wanted */
};

struct fp_names {
	uint64_t *slots;     /* hashes of the names handed out; 0: empty */
	size_t cap;          /* power of two */
	size_t count;
	struct names_next *next; /* the names wanted again */
	size_t next_cap;     /* power of two; 0 before the first */
	size_t next_count;
};

#define NAMES_INITIAL_CAP 64
#define NAMES_NEXT_INITIAL_CAP 16

/* FNV-1a of the path, its folder part already in FOLDER_HASH; never 0
 * (0 marks an empty slot). */
static uint64_t names_hash(uint64_t folder_hash, const char *leaf)
{
	uint64_t h = fp_fnv1a64_update(folder_hash, leaf, strlen(leaf));

	return h ? h : 1;
}

int fp_names_new(struct fp_names **out)
{
	struct fp_names *t;

	if (!out)
		return FP_EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return FP_ENOMEM;
	t->slots = calloc(NAMES_INITIAL_CAP, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return FP_ENOMEM;
	}
	t->cap = NAMES_INITIAL_CAP;
	*out = t;
	return FP_OK;
}

void fp_names_free(struct fp_names *names)
{
	if (!names)
		return;
	free(names->slots);
	free(names->next);
	free(names);
}

size_t fp_names_count(const struct fp_names *names)
{
	return names ? names->count : 0;
}

/* The slot holding HASH, or the empty slot where it would go. */
static uint64_t *names_slot(uint64_t *slots, size_t cap, uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	while (slots[i] && slots[i] != hash)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* Keep the load factor at or below 3/4: probes stay short (about 2.5 for
 * a hit, 8.5 for a miss) and an empty slot always exists. */
static int names_reserve(struct fp_names *t)
{
	uint64_t *slots;
	size_t cap, i;

	if ((t->count + 1) * 4 <= t->cap * 3)
		return FP_OK;
	cap = t->cap * 2;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return FP_ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (t->slots[i])
			*names_slot(slots, cap, t->slots[i]) = t->slots[i];
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return FP_OK;
}

/* Insert a name (by its hash) known to be absent. */
static void names_insert(struct fp_names *t, uint64_t hash)
{
	*names_slot(t->slots, t->cap, hash) = hash;
	t->count++;
}

/* The record of HASH among the names wanted again, or the empty one
 * where it would go. */
static struct names_next *names_next_slot(struct names_next *v, size_t cap,
					  uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	while (v[i].hash && v[i].hash != hash)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* The next suffix to try for the name HASH: 1 the first time it is
 * wanted again. */
static unsigned long names_next_get(const struct fp_names *t, uint64_t hash)
{
	const struct names_next *e;

	if (!t->next_cap)
		return 1;
	e = names_next_slot(t->next, t->next_cap, hash);
	return e->hash ? e->next : 1;
}

/* Room for one more record, at a load of at most one half. */
static int names_next_reserve(struct fp_names *t)
{
	struct names_next *v;
	size_t cap, i;

	if ((t->next_count + 1) * 2 <= t->next_cap)
		return FP_OK;
	cap = t->next_cap ? t->next_cap * 2 : NAMES_NEXT_INITIAL_CAP;
	v = calloc(cap, sizeof(*v));
	if (!v)
		return FP_ENOMEM;
	for (i = 0; i < t->next_cap; i++)
		if (t->next[i].hash)
			*names_next_slot(v, cap, t->next[i].hash) = t->next[i];
	free(t->next);
	t->next = v;
	t->next_cap = cap;
	return FP_OK;
}

/* After names_next_reserve(). */
static void names_next_set(struct fp_names *t, uint64_t hash,
			   unsigned long next)
{
	struct names_next *e = names_next_slot(t->next, t->next_cap, hash);

	if (!e->hash) {
		e->hash = hash;
		t->next_count++;
	}
	e->next = next;
}

/* FOLDER (plen bytes, its '/' included, may be 0) and LEAF as one
 * malloc'd path; LEAF is freed. NULL when out of memory. */
static char *names_join(const char *folder, size_t plen, char *leaf)
{
	size_t n = strlen(leaf);
	char *out;

	if (!plen)
		return leaf;
	out = malloc(plen + n + 1);
	if (out) {
		memcpy(out, folder, plen);
		memcpy(out + plen, leaf, n + 1);
	}
	free(leaf);
	return out;
}

int fp_names_claim(struct fp_names *names, const char *name, char **final)
{
	const char *slash;
	char *base, *cand = NULL;
	unsigned long k;
	uint64_t hash, want, folder_hash;
	size_t len, ext, plen;
	int rc;

	if (!names || !name || !final)
		return FP_EINVAL;
	*final = NULL;
	/* "SUB/NAME": the folder is kept as it is; suffixes and the length
	 * cap apply to NAME, the table holds the whole path. */
	slash = strrchr(name, '/');
	plen = slash ? (size_t)(slash - name) + 1 : 0;
	if (plen && names_dir_problem(name, plen - 1))
		return FP_EINVAL;
	len = strlen(name + plen);
	if (names_problem(name + plen, len))
		return FP_EINVAL;
	base = strdup(name + plen);
	if (!base)
		return FP_ENOMEM;
	rc = names_finish(base, &base);
	if (rc != FP_OK)
		return rc;
	rc = names_reserve(names);
	if (rc != FP_OK) {
		free(base);
		return rc;
	}

	len = strlen(base);
	folder_hash = fp_fnv1a64_update(FP_FNV1A64_INIT, name, plen);
	hash = names_hash(folder_hash, base);
	if (!*names_slot(names->slots, names->cap, hash)) {
		*final = names_join(name, plen, base);
		if (!*final)
			return FP_ENOMEM;
		names_insert(names, hash);
		return FP_OK;
	}

	/* Taken: every suffix below its next is taken as well (entries are
	 * never removed), so the search resumes there. */
	rc = names_next_reserve(names);
	if (rc != FP_OK) {
		free(base);
		return rc;
	}
	want = hash;
	ext = names_ext_len(base, len);
	for (k = names_next_get(names, want);; k++) {
		char mid[24];
		uint64_t h;

		snprintf(mid, sizeof(mid), ".%lu", k);
		cand = names_compose(base, len - ext, mid, base + len - ext,
				     ext);
		if (!cand) {
			free(base);
			return FP_ENOMEM;
		}
		h = names_hash(folder_hash, cand);
		if (!*names_slot(names->slots, names->cap, h)) {
			hash = h;
			break;
		}
		free(cand);
	}
	free(base);
	*final = names_join(name, plen, cand);
	if (!*final)
		return FP_ENOMEM;
	names_next_set(names, want, k + 1);
	names_insert(names, hash);
	return FP_OK;
}
