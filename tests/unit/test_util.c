/* Unit tests for the shared building blocks: lib/utf8.c, lib/hex.c,
 * lib/hash.c, lib/array.c, lib/sort.c. */
#include "runner.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "error.h"
#include "hash.h"
#include "hex.h"
#include "sort.h"
#include "utf8.h"

#define U(s) ((const unsigned char *)(s))

/* ---- UTF-8 ---- */

START_TEST(test_utf8_char)
{
	static const struct {
		const char *in;
		size_t len, want;
		unsigned long cp;
	} cases[] = {
		{ "A", 1, 1, 'A' },
		{ "", 1, 1, 0 }, /* NUL is a character; callers reject it */
		{ "\x7f", 1, 1, 0x7f },
		{ "\xc2\x80", 2, 2, 0x80 },
		{ "\xdf\xbf", 2, 2, 0x7ff },
		{ "\xe0\xa0\x80", 3, 3, 0x800 },
		{ "\xed\x9f\xbf", 3, 3, 0xd7ff },
		{ "\xee\x80\x80", 3, 3, 0xe000 },
		{ "\xef\xbf\xbf", 3, 3, 0xffff },
		{ "\xf0\x90\x80\x80", 4, 4, 0x10000 },
		{ "\xf0\x9f\x93\x9a", 4, 4, 0x1f4da },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
		/* overlong */
		{ "\xc0\xaf", 2, 0, 0 },
		{ "\xc1\xbf", 2, 0, 0 },
		{ "\xe0\x80\xaf", 3, 0, 0 },
		{ "\xe0\x9f\xbf", 3, 0, 0 },
		{ "\xf0\x8f\xbf\xbf", 4, 0, 0 },
		/* surrogates */
		{ "\xed\xa0\x80", 3, 0, 0 },
		{ "\xed\xbf\xbf", 3, 0, 0 },
		/* above U+10FFFF, bytes that never start a character */
		{ "\xf4\x90\x80\x80", 4, 0, 0 },
		{ "\xf5\x80\x80\x80", 4, 0, 0 },
		{ "\xff", 1, 0, 0 },
		{ "\x80", 1, 0, 0 },
		{ "\xbf", 1, 0, 0 },
		/* truncated, or a continuation byte missing */
		{ "\xc3", 1, 0, 0 },
		{ "\xe2\x82", 2, 0, 0 },
		{ "\xf0\x9f\x93", 3, 0, 0 },
		{ "\xe2\x82\x41", 3, 0, 0 },
		{ "\xc3\xa9", 1, 0, 0 }, /* len cuts the sequence */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long cp = 0xdeadbeef;
		size_t n = fp_utf8_char(U(cases[i].in), cases[i].len, &cp);

		ck_assert_msg(n == cases[i].want, "case %zu: %zu", i, n);
		if (n)
			ck_assert_uint_eq(cp, cases[i].cp);
		ck_assert_uint_eq(fp_utf8_char(U(cases[i].in), cases[i].len,
					       NULL),
				  cases[i].want);
	}
	ck_assert_uint_eq(fp_utf8_char(U("x"), 0, NULL), 0);
}
END_TEST

START_TEST(test_utf8_valid_len)
{
	ck_assert_uint_eq(fp_utf8_valid_len("", 0), 0);
	ck_assert_uint_eq(fp_utf8_valid_len("abc", 3), 3);
	ck_assert_uint_eq(fp_utf8_valid_len("caf\xc3\xa9", 5), 5);
	ck_assert_uint_eq(fp_utf8_valid_len("caf\xc3\xa9", 4), 3);
	ck_assert_uint_eq(fp_utf8_valid_len("ab\xff" "cd", 5), 2);
	ck_assert_uint_eq(fp_utf8_valid_len("\xed\xa0\x80", 3), 0);
}
END_TEST

START_TEST(test_utf8_control)
{
	ck_assert(fp_utf8_is_control(0));
	ck_assert(fp_utf8_is_control('\t'));
	ck_assert(fp_utf8_is_control(0x1f));
	ck_assert(!fp_utf8_is_control(' '));
	ck_assert(!fp_utf8_is_control('~'));
	ck_assert(fp_utf8_is_control(0x7f));
	ck_assert(fp_utf8_is_control(0x80));
	ck_assert(fp_utf8_is_control(0x9f));
	ck_assert(!fp_utf8_is_control(0xa0));
	ck_assert(!fp_utf8_is_control(0x202e));
}
END_TEST

START_TEST(test_utf8_repair)
{
	char *s;

	s = fp_utf8_repair("ok \xc3\xa9", 5, 0);
	ck_assert_str_eq(s, "ok \xc3\xa9");
	free(s);
	/* each bad byte is one U+FFFD; a cut sequence too */
	s = fp_utf8_repair("a\xff\xfe" "b\xe2\x82", 6, 0);
	ck_assert_str_eq(s, "a\xef\xbf\xbd\xef\xbf\xbd" "b"
			    "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	/* controls stay, or become spaces (C0, DEL, C1) */
	s = fp_utf8_repair("a\tb\x7f" "c\xc2\x85" "d", 8, 0);
	ck_assert_str_eq(s, "a\tb\x7f" "c\xc2\x85" "d");
	free(s);
	s = fp_utf8_repair("a\tb\x7f" "c\xc2\x85" "d\xc2\xa0", 10,
			   FP_UTF8_CONTROL_SPACE);
	ck_assert_str_eq(s, "a b c d\xc2\xa0");
	free(s);
	/* a length, not a NUL, ends the input */
	s = fp_utf8_repair("a\0b", 3, FP_UTF8_CONTROL_SPACE);
	ck_assert_str_eq(s, "a b");
	free(s);
	s = fp_utf8_repair("", 0, 0);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_utf8_format)
{
	char buf[8];

	fp_utf8_format(buf, sizeof(buf), "%s-%d", "ab", 12);
	ck_assert_str_eq(buf, "ab-12");
	/* "abcdef\xc3\xa9" needs 9 bytes: the cut must not split the é */
	fp_utf8_format(buf, sizeof(buf), "%s", "abcdef\xc3\xa9");
	ck_assert_str_eq(buf, "abcdef");
	fp_utf8_format(buf, sizeof(buf), "%s", "abcde\xc3\xa9");
	ck_assert_str_eq(buf, "abcde\xc3\xa9");
	fp_utf8_format(buf, sizeof(buf), "%s", "ab\xff" "cd");
	ck_assert_str_eq(buf, "ab");
	fp_utf8_format(NULL, 0, "%s", "x");
	buf[0] = 'z';
	fp_utf8_format(buf, 0, "%s", "x");
	ck_assert_int_eq(buf[0], 'z');
}
END_TEST

/* ---- hex ---- */

START_TEST(test_hex_digit)
{
	const char *d = "0123456789abcdef";
	int i;

	for (i = 0; i < 16; i++) {
		ck_assert_int_eq(fp_hex_digit(d[i]), i);
		ck_assert_int_eq(fp_hex_char((unsigned)i, 0), d[i]);
		ck_assert_int_eq(fp_hex_char((unsigned)i, 1),
				 i < 10 ? d[i] : 'A' + i - 10);
	}
	ck_assert_int_eq(fp_hex_digit('F'), 15);
	ck_assert_int_eq(fp_hex_digit('g'), -1);
	ck_assert_int_eq(fp_hex_digit('G'), -1);
	ck_assert_int_eq(fp_hex_digit('\0'), -1);
	ck_assert_int_eq(fp_hex_digit(0xe0), -1);
	ck_assert_int_eq(fp_hex_digit(-1), -1);
}
END_TEST

START_TEST(test_hex_round_trip)
{
	unsigned char in[256], back[256];
	char hex[513];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	fp_hex_encode(in, sizeof(in), hex);
	ck_assert_uint_eq(strlen(hex), 512);
	ck_assert_int_eq(fp_hex_decode(hex, 512, back), FP_OK);
	ck_assert_int_eq(memcmp(in, back, sizeof(in)), 0);

	fp_hex_encode(U("\x00\x0f\xa5\xff"), 4, hex);
	ck_assert_str_eq(hex, "000fa5ff");
	ck_assert_int_eq(fp_hex_decode("000FA5fF", 8, back), FP_OK);
	ck_assert_int_eq(memcmp(back, "\x00\x0f\xa5\xff", 4), 0);
	fp_hex_encode(in, 0, hex);
	ck_assert_str_eq(hex, "");
	ck_assert_int_eq(fp_hex_decode("", 0, back), FP_OK);
}
END_TEST

START_TEST(test_hex_decode_errors)
{
	unsigned char out[4] = { 1, 2, 3, 4 };

	ck_assert_int_eq(fp_hex_decode("abc", 3, out), FP_EINVAL);
	ck_assert_int_eq(fp_hex_decode("abzz", 4, out), FP_EINVAL);
	ck_assert_int_eq(fp_hex_decode("ab\0d", 4, out), FP_EINVAL);
	ck_assert_int_eq(fp_hex_decode(" abc", 4, out), FP_EINVAL);
	/* untouched on failure */
	ck_assert_int_eq(memcmp(out, "\x01\x02\x03\x04", 4), 0);
}
END_TEST

/* ---- FNV-1a ---- */

START_TEST(test_fnv1a64_vectors)
{
	/* Published FNV-1a 64 test vectors. */
	ck_assert_uint_eq(fp_fnv1a64("", 0), UINT64_C(0xcbf29ce484222325));
	ck_assert_uint_eq(FP_FNV1A64_INIT, UINT64_C(0xcbf29ce484222325));
	ck_assert_uint_eq(fp_fnv1a64_str("a"), UINT64_C(0xaf63dc4c8601ec8c));
	ck_assert_uint_eq(fp_fnv1a64_str("foobar"),
			  UINT64_C(0x85944171f73967e8));
	ck_assert_uint_eq(fp_fnv1a64("\0", 1), UINT64_C(0xaf63bd4c8601b7df));
	/* in pieces, the same as at once */
	ck_assert_uint_eq(fp_fnv1a64_update(fp_fnv1a64("foo", 3), "bar", 3),
			  fp_fnv1a64_str("foobar"));
	ck_assert_uint_eq(fp_fnv1a64_update(FP_FNV1A64_INIT, "x", 0),
			  FP_FNV1A64_INIT);
}
END_TEST

/* ---- arrays ---- */

struct pair {
	int key, seq;
};

START_TEST(test_array_push)
{
	struct pair *a = NULL, *p;
	size_t n = 0, cap = 0;
	int i;

	for (i = 0; i < 100; i++) {
		p = fp_array_push(&a, &n, &cap, sizeof(*a), 4);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(p->key, 0); /* zeroed */
		ck_assert_int_eq(p->seq, 0);
		p->key = i;
		ck_assert_uint_eq(n, (size_t)i + 1);
	}
	ck_assert_uint_eq(cap, 128); /* 4, 8, ..., 128 */
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(a[i].key, i);
	free(a);
}
END_TEST

START_TEST(test_array_reserve)
{
	int *a = NULL;
	size_t cap = 0;

	ck_assert_int_eq(fp_array_reserve(&a, &cap, 0, sizeof(*a), 256),
			 FP_OK);
	ck_assert_ptr_null(a);
	ck_assert_int_eq(fp_array_reserve(&a, &cap, 300, sizeof(*a), 256),
			 FP_OK);
	ck_assert_uint_eq(cap, 512);
	a[299] = 7;
	ck_assert_int_eq(fp_array_reserve(&a, &cap, 512, sizeof(*a), 256),
			 FP_OK);
	ck_assert_uint_eq(cap, 512);
	ck_assert_int_eq(fp_array_reserve(&a, &cap, 513, sizeof(*a), 256),
			 FP_OK);
	ck_assert_uint_eq(cap, 1024);
	ck_assert_int_eq(a[299], 7);
	/* sizes that overflow fail and change nothing */
	ck_assert_int_eq(fp_array_reserve(&a, &cap, SIZE_MAX / 2, sizeof(*a),
					  256),
			 FP_ENOMEM);
	ck_assert_int_eq(fp_array_reserve(&a, &cap, SIZE_MAX, 1, 1),
			 FP_ENOMEM);
	ck_assert_uint_eq(cap, 1024);
	ck_assert_int_eq(a[299], 7);
	free(a);
}
END_TEST

/* ---- stable sort ---- */

static int cmp_key(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;

	return (a->key > b->key) - (a->key < b->key);
}

START_TEST(test_sort_stable)
{
	static const size_t sizes[] = { 0, 1, 2, 7, 8, 9, 17, 100, 1000 };
	size_t s, i;
	uint64_t seed = 42;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		struct pair *a = malloc((n ? n : 1) * sizeof(*a));

		ck_assert_ptr_nonnull(a);
		for (i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ULL + 1;
			a[i].key = (int)((seed >> 33) % 10); /* many ties */
			a[i].seq = (int)i;
		}
		ck_assert_int_eq(fp_sort_stable(a, n, sizeof(*a), cmp_key),
				 FP_OK);
		for (i = 1; i < n; i++) {
			ck_assert_int_le(a[i - 1].key, a[i].key);
			if (a[i - 1].key == a[i].key)
				ck_assert_int_lt(a[i - 1].seq, a[i].seq);
		}
		free(a);
	}
}
END_TEST

START_TEST(test_sort_sorted_and_reversed)
{
	struct pair a[50];
	int i;

	for (i = 0; i < 50; i++) {
		a[i].key = 50 - i;
		a[i].seq = i;
	}
	ck_assert_int_eq(fp_sort_stable(a, 50, sizeof(a[0]), cmp_key), FP_OK);
	for (i = 0; i < 50; i++)
		ck_assert_int_eq(a[i].key, i + 1);
	ck_assert_int_eq(fp_sort_stable(a, 50, sizeof(a[0]), cmp_key), FP_OK);
	for (i = 0; i < 50; i++)
		ck_assert_int_eq(a[i].seq, 49 - i);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("util");
	TCase *utf8 = unit_tcase("utf8");
	TCase *hex = unit_tcase("hex");
	TCase *hash = unit_tcase("fnv1a64");
	TCase *arr = unit_tcase("array");
	TCase *sort = unit_tcase("sort");

	tcase_add_test(utf8, test_utf8_char);
	tcase_add_test(utf8, test_utf8_valid_len);
	tcase_add_test(utf8, test_utf8_control);
	tcase_add_test(utf8, test_utf8_repair);
	tcase_add_test(utf8, test_utf8_format);
	tcase_add_test(hex, test_hex_digit);
	tcase_add_test(hex, test_hex_round_trip);
	tcase_add_test(hex, test_hex_decode_errors);
	tcase_add_test(hash, test_fnv1a64_vectors);
	tcase_add_test(arr, test_array_push);
	tcase_add_test(arr, test_array_reserve);
	tcase_add_test(sort, test_sort_stable);
	tcase_add_test(sort, test_sort_sorted_and_reversed);
	suite_add_tcase(s, utf8);
	suite_add_tcase(s, hex);
	suite_add_tcase(s, hash);
	suite_add_tcase(s, arr);
	suite_add_tcase(s, sort);
	return s;
}
