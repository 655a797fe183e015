/* SHA-256: published test vectors, incremental feeding, hashing a file
 * prefix (the resume path), hex helpers, and every fixture checksum. */
#include "runner.h"
#include "digest.h"
#include "error.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *fixtures_dir(void)
{
	const char *env = getenv("FIXTURES");

	return env && *env ? env : FP_FIXTURES_DIR;
}

static void hash_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[FP_SHA256_LEN];

	ck_assert_int_eq(fp_sha256_buf(data, len, md), FP_OK);
	fp_hex_encode(md, sizeof(md), hex);
}

/* FIPS 180-2 / NIST CAVS vectors. */
START_TEST(test_vectors)
{
	char hex[65];

	hash_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
			      "27ae41e4649b934ca495991b7852b855");
	hash_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
			      "b00361a396177a9cb410ff61f20015ad");
	hash_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 56, hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039"
			      "a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(test_million_a_incremental)
{
	struct fp_sha256 h = { NULL };
	unsigned char md[FP_SHA256_LEN];
	char block[1000], hex[65];
	int i;

	memset(block, 'a', sizeof(block));
	ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(fp_sha256_update(&h, block, sizeof(block)),
				 FP_OK);
	ck_assert_int_eq(fp_sha256_update(&h, NULL, 0), FP_OK);
	ck_assert_int_eq(fp_sha256_final(&h, md), FP_OK);
	ck_assert_ptr_null(h.ctx);
	fp_hex_encode(md, sizeof(md), hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			      "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

START_TEST(test_misuse)
{
	struct fp_sha256 h = { NULL };
	unsigned char md[FP_SHA256_LEN];

	ck_assert_int_eq(fp_sha256_update(&h, "x", 1), FP_EINVAL);
	ck_assert_int_eq(fp_sha256_final(&h, md), FP_EINVAL);
	ck_assert_int_eq(fp_sha256_init(NULL), FP_EINVAL);
	ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
	ck_assert_int_eq(fp_sha256_update(&h, NULL, 1), FP_EINVAL);
	/* init again restarts without leaking the first context */
	ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
	ck_assert_int_eq(fp_sha256_final(&h, md), FP_OK);
	ck_assert_int_eq(fp_sha256_final(&h, md), FP_EINVAL);
	fp_sha256_cleanup(&h);
	fp_sha256_cleanup(&h);
	fp_sha256_cleanup(NULL);
	ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
	ck_assert_int_eq(fp_sha256_update(&h, "abandoned", 9), FP_OK);
	fp_sha256_cleanup(&h);
	ck_assert_ptr_null(h.ctx);
}
END_TEST

/* Write data to a fresh temporary file; returns an fd opened O_RDWR. */
static int temp_file(const void *data, size_t len)
{
	char path[] = "/tmp/fp_digest_XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	return fd;
}

/* Resume: hash of (prefix from file) + (rest from memory) equals the hash
 * of the whole, and the file offset stays where the caller left it. */
START_TEST(test_fd_prefix_resume)
{
	static char data[100000];
	unsigned char whole[FP_SHA256_LEN], resumed[FP_SHA256_LEN];
	struct fp_sha256 h = { NULL };
	size_t i;
	off_t cut = 40000 + 123;
	int fd;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + i / 251);
	fd = temp_file(data, (size_t)cut);
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), cut);

	ck_assert_int_eq(fp_sha256_buf(data, sizeof(data), whole), FP_OK);
	ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
	ck_assert_int_eq(fp_sha256_fd(fd, cut, &h), FP_OK);
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), cut);
	ck_assert_int_eq(fp_sha256_update(&h, data + cut,
					  sizeof(data) - (size_t)cut), FP_OK);
	ck_assert_int_eq(fp_sha256_final(&h, resumed), FP_OK);
	ck_assert_mem_eq(whole, resumed, sizeof(whole));

	/* A zero-length prefix is the empty hash. */
	ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
	ck_assert_int_eq(fp_sha256_fd(fd, 0, &h), FP_OK);
	ck_assert_int_eq(fp_sha256_final(&h, resumed), FP_OK);
	ck_assert_int_eq(fp_sha256_buf("", 0, whole), FP_OK);
	ck_assert_mem_eq(whole, resumed, sizeof(whole));
	close(fd);
}
END_TEST

START_TEST(test_fd_errors)
{
	struct fp_sha256 h = { NULL };
	int fd = temp_file("short", 5);

	ck_assert_int_eq(fp_sha256_fd(fd, 5, &h), FP_EINVAL); /* no init */
	ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
	ck_assert_int_eq(fp_sha256_fd(fd, 6, &h), FP_EIO); /* too short */
	ck_assert_int_eq(fp_sha256_fd(fd, -1, &h), FP_EINVAL);
	ck_assert_int_eq(fp_sha256_fd(-1, 1, &h), FP_EINVAL);
	close(fd);
	ck_assert_int_eq(fp_sha256_fd(fd, 1, &h), FP_EIO); /* closed fd */
	fp_sha256_cleanup(&h);
}
END_TEST

START_TEST(test_hex)
{
	static const char lower[] = "0123456789abcdef0123456789abcdef"
				    "00ff10e0a5c3b7d9e8f7a6b5c4d3e2f1";
	unsigned char md[FP_SHA256_LEN], before[FP_SHA256_LEN];
	char upper[sizeof(lower)], back[65], bad[70];
	size_t i;

	ck_assert_int_eq(fp_hex_decode32(lower, md), FP_OK);
	ck_assert_uint_eq(md[0], 0x01);
	ck_assert_uint_eq(md[17], 0xff);
	fp_hex_encode(md, sizeof(md), back);
	ck_assert_str_eq(back, lower);

	for (i = 0; i < sizeof(lower); i++)
		upper[i] = (char)(lower[i] >= 'a' ? lower[i] - 32 : lower[i]);
	memset(md, 0, sizeof(md));
	ck_assert_int_eq(fp_hex_decode32(upper, md), FP_OK);
	fp_hex_encode(md, sizeof(md), back);
	ck_assert_str_eq(back, lower);

	/* Failures leave out untouched. */
	memcpy(before, md, sizeof(md));
	ck_assert_int_eq(fp_hex_decode32(NULL, md), FP_EINVAL);
	ck_assert_int_eq(fp_hex_decode32("", md), FP_EINVAL);
	memcpy(bad, lower, 63);
	bad[63] = '\0';
	ck_assert_int_eq(fp_hex_decode32(bad, md), FP_EINVAL);
	memcpy(bad, lower, 64);
	bad[64] = '0';
	bad[65] = '\0';
	ck_assert_int_eq(fp_hex_decode32(bad, md), FP_EINVAL);
	bad[64] = ' ';
	ck_assert_int_eq(fp_hex_decode32(bad, md), FP_EINVAL);
	memcpy(bad, lower, sizeof(lower));
	bad[10] = 'g';
	ck_assert_int_eq(fp_hex_decode32(bad, md), FP_EINVAL);
	bad[10] = ' ';
	ck_assert_int_eq(fp_hex_decode32(bad, md), FP_EINVAL);
	bad[10] = '\0';
	ck_assert_int_eq(fp_hex_decode32(bad, md), FP_EINVAL);
	ck_assert_mem_eq(md, before, sizeof(md));

	fp_hex_encode(md, 0, back);
	ck_assert_str_eq(back, "");
}
END_TEST

/* Every file listed in the fixtures' SHA256SUMS hashes to its entry, both
 * through the file-prefix path and through odd-sized incremental updates. */
START_TEST(test_fixture_sums)
{
	char path[4096], line[4096];
	FILE *sums;
	int n = 0;

	snprintf(path, sizeof(path), "%s/gutenberg/SHA256SUMS",
		 fixtures_dir());
	sums = fopen(path, "r");
	ck_assert_msg(sums != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), sums)) {
		unsigned char want[FP_SHA256_LEN], got[FP_SHA256_LEN];
		struct fp_sha256 h = { NULL };
		char *name, buf[7919];
		struct stat st;
		ssize_t r;
		int fd;

		line[strcspn(line, "\n")] = '\0';
		ck_assert_uint_gt(strlen(line), 66);
		line[64] = '\0';
		ck_assert_int_eq(fp_hex_decode32(line, want), FP_OK);
		name = line + 66;
		snprintf(path, sizeof(path), "%s/gutenberg/%s", fixtures_dir(),
			 name);
		fd = open(path, O_RDONLY);
		ck_assert_msg(fd >= 0, "cannot open %s", path);
		ck_assert_int_eq(fstat(fd, &st), 0);

		ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
		ck_assert_int_eq(fp_sha256_fd(fd, st.st_size, &h), FP_OK);
		ck_assert_int_eq(fp_sha256_final(&h, got), FP_OK);
		ck_assert_msg(memcmp(want, got, sizeof(got)) == 0,
			      "%s: checksum differs", name);

		ck_assert_int_eq(fp_sha256_init(&h), FP_OK);
		while ((r = read(fd, buf, sizeof(buf))) > 0)
			ck_assert_int_eq(fp_sha256_update(&h, buf, (size_t)r),
					 FP_OK);
		ck_assert_int_eq(r, 0);
		ck_assert_int_eq(fp_sha256_final(&h, got), FP_OK);
		ck_assert_mem_eq(want, got, sizeof(got));
		close(fd);
		n++;
	}
	fclose(sums);
	ck_assert_int_eq(n, 25);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("digest");
	TCase *tc = unit_tcase("sha256");

	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_million_a_incremental);
	tcase_add_test(tc, test_misuse);
	tcase_add_test(tc, test_fd_prefix_resume);
	tcase_add_test(tc, test_fd_errors);
	tcase_add_test(tc, test_hex);
	tcase_add_test(tc, test_fixture_sums);
	suite_add_tcase(s, tc);
	return s;
}
