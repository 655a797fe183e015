/* Validator state: table operations, atomic save, round trip of odd
 * names, forgiving load of hostile files, concurrent use, and the merge
 * on save that lets runs sharing a directory keep each other's records. */
#include "runner.h"
#include "scratch.h"

#include "error.h"
#include "statefile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[64];
static int dirfd_;

static void setup(void)
{
	dirfd_ = unit_scratch_make(tmpdir, sizeof(tmpdir), "state", 1);
}

static void teardown(void)
{
	unit_scratch_remove(tmpdir, dirfd_);
}

static void write_file(const char *name, const void *data, size_t len)
{
	int fd = openat(dirfd_, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static char *read_file(const char *name)
{
	int fd = openat(dirfd_, name, O_RDONLY | O_NOFOLLOW);
	struct stat st;
	char *buf;

	if (fd < 0)
		return NULL;
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size),
			 (ssize_t)st.st_size);
	buf[st.st_size] = '\0';
	close(fd);
	return buf;
}

static int exists(const char *name)
{
	struct stat st;

	return fstatat(dirfd_, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static struct fp_statefile *fresh(void)
{
	struct fp_statefile *s = NULL;

	ck_assert_int_eq(fp_statefile_create(dirfd_, &s), FP_OK);
	ck_assert_ptr_nonnull(s);
	return s;
}

START_TEST(missing_is_empty)
{
	struct fp_statefile *s = fresh();
	struct fp_state_rec rec;

	ck_assert_int_eq(fp_statefile_load(s), FP_OK);
	ck_assert_uint_eq(fp_statefile_count(s), 0);
	memset(&rec, 'x', sizeof(rec));
	ck_assert_int_eq(fp_statefile_get(s, "a", &rec), FP_ENOENT);
	ck_assert_str_eq(rec.etag, "");
	ck_assert_str_eq(rec.last_modified, "");
	ck_assert_int_eq(rec.size, -1);
	/* Nothing changed: save writes nothing. */
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	ck_assert(!exists(FP_STATEFILE_NAME));
	fp_statefile_free(s);
	fp_statefile_free(NULL);
}
END_TEST

START_TEST(set_get_remove)
{
	struct fp_statefile *s = fresh();
	struct fp_state_rec rec;

	ck_assert_int_eq(fp_statefile_set(s, "a.txt", "\"abc\"",
					  "Sun, 06 Nov 1994 08:49:37 GMT",
					  1234),
			 FP_OK);
	ck_assert_int_eq(fp_statefile_set(s, "b.txt", NULL, "", -5), FP_OK);
	ck_assert_uint_eq(fp_statefile_count(s), 2);
	ck_assert_int_eq(fp_statefile_get(s, "a.txt", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "\"abc\"");
	ck_assert_str_eq(rec.last_modified, "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_int_eq(rec.size, 1234);
	ck_assert_int_eq(fp_statefile_get(s, "b.txt", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "");
	ck_assert_str_eq(rec.last_modified, "");
	ck_assert_int_eq(rec.size, -1);
	/* Replace. */
	ck_assert_int_eq(fp_statefile_set(s, "a.txt", "W/\"v2\"", NULL, 7),
			 FP_OK);
	ck_assert_int_eq(fp_statefile_get(s, "a.txt", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "W/\"v2\"");
	ck_assert_str_eq(rec.last_modified, "");
	ck_assert_int_eq(rec.size, 7);
	ck_assert_uint_eq(fp_statefile_count(s), 2);
	/* Remove. */
	ck_assert_int_eq(fp_statefile_remove(s, "a.txt"), FP_OK);
	ck_assert_int_eq(fp_statefile_remove(s, "a.txt"), FP_ENOENT);
	ck_assert_int_eq(fp_statefile_get(s, "a.txt", &rec), FP_ENOENT);
	ck_assert_uint_eq(fp_statefile_count(s), 1);
	/* Bad names. */
	ck_assert_int_eq(fp_statefile_set(s, "", "x", NULL, 1), FP_EINVAL);
	ck_assert_int_eq(fp_statefile_set(s, NULL, "x", NULL, 1), FP_EINVAL);
	ck_assert_int_eq(fp_statefile_set(s, "a/../b", "x", NULL, 1),
			 FP_EINVAL);
	ck_assert_int_eq(fp_statefile_set(s, "/a/b", "x", NULL, 1), FP_EINVAL);
	ck_assert_int_eq(fp_statefile_set(s, "a//b", "x", NULL, 1), FP_EINVAL);
	ck_assert_int_eq(fp_statefile_set(s, "..", "x", NULL, 1), FP_EINVAL);
	ck_assert_int_eq(fp_statefile_get(s, "a/../b", &rec), FP_ENOENT);
	/* A file in a folder (dir=) is keyed by its path. */
	ck_assert_int_eq(fp_statefile_set(s, "a/b", "x", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_get(s, "a/b", &rec), FP_OK);
	ck_assert_int_eq(fp_statefile_get(s, "b", &rec), FP_ENOENT);
	fp_statefile_free(s);
}
END_TEST

START_TEST(hostile_validators_dropped)
{
	struct fp_statefile *s = fresh();
	struct fp_state_rec rec;
	char etag[FP_STATE_ETAG_MAX + 1];

	/* CR/LF would let a server inject a request header later. */
	ck_assert_int_eq(fp_statefile_set(s, "x", "\"a\"\r\nEvil: 1",
					  "Sun\n", 1),
			 FP_OK);
	ck_assert_int_eq(fp_statefile_get(s, "x", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "");
	ck_assert_str_eq(rec.last_modified, "");
	ck_assert_int_eq(rec.size, 1);
	/* Longest kept, one more dropped. */
	memset(etag, 'e', sizeof(etag));
	etag[FP_STATE_ETAG_MAX - 1] = '\0';
	ck_assert_int_eq(fp_statefile_set(s, "y", etag, NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_get(s, "y", &rec), FP_OK);
	ck_assert_uint_eq(strlen(rec.etag), FP_STATE_ETAG_MAX - 1);
	etag[FP_STATE_ETAG_MAX - 1] = 'e';
	etag[FP_STATE_ETAG_MAX] = '\0';
	ck_assert_int_eq(fp_statefile_set(s, "y", etag, NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_get(s, "y", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "");
	fp_statefile_free(s);
}
END_TEST

#define DATE "Mon, 01 Jan 2024 00:00:00 GMT"
#define SIZE_OF(i) ((i) == 3 ? -1 : (int64_t)((i) * 1000003))

START_TEST(save_load_round_trip)
{
	static const char *const names[] = {
		"plain.txt", "tab\there", "new\nline", "back\\slash",
		"#hash",     "ctl\x01\x1f\x7f", "caf\xc3\xa9.txt",
		"\xff\xfe raw bytes", "x",
	};
	static const char *const etags[] = {
		"\"1\"", "", "W/\"weak\"", "\"with\\backslash\"", "\"#\"",
		"\"t\tab\"", "\"\xc3\xa9\"", "\"\xff\"", "",
	};
	const size_t n = sizeof(names) / sizeof(names[0]);
	struct fp_statefile *s = fresh(), *t;
	struct fp_state_rec rec;
	char *text;
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(fp_statefile_set(s, names[i], etags[i],
						  i % 2 ? DATE : NULL,
						  SIZE_OF(i)),
				 FP_OK);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	ck_assert(exists(FP_STATEFILE_NAME));
	ck_assert(!exists(FP_STATEFILE_TMP));
	text = read_file(FP_STATEFILE_NAME);
	ck_assert_ptr_nonnull(text);
	/* One header, then one line per record: no raw tab or newline
	 * escaped from a name. */
	ck_assert(strncmp(text, "# fetchpool state 1\n", 20) == 0);
	{
		size_t lines = 0, tabs = 0;
		char *p;

		for (p = text; *p; p++) {
			lines += *p == '\n';
			tabs += *p == '\t';
		}
		ck_assert_uint_eq(lines, n + 1);
		ck_assert_uint_eq(tabs, 3 * n);
	}
	/* Sorted by name (bytewise): "#hash" first after the header. */
	ck_assert(strncmp(text + 20, "\\x23hash\t", 9) == 0);
	free(text);

	t = fresh();
	ck_assert_int_eq(fp_statefile_load(t), FP_OK);
	ck_assert_uint_eq(fp_statefile_skipped(t), 0);
	ck_assert_uint_eq(fp_statefile_count(t), n);
	for (i = 0; i < n; i++) {
		ck_assert_msg(fp_statefile_get(t, names[i], &rec) == FP_OK,
			      "lost record %zu", i);
		ck_assert_str_eq(rec.etag, etags[i]);
		ck_assert_str_eq(rec.last_modified, i % 2 ? DATE : "");
		ck_assert_int_eq(rec.size, SIZE_OF(i));
	}
	/* Loading does not make it dirty. */
	ck_assert_int_eq(unlinkat(dirfd_, FP_STATEFILE_NAME, 0), 0);
	ck_assert_int_eq(fp_statefile_save(t), FP_OK);
	ck_assert(!exists(FP_STATEFILE_NAME));
	/* Setting the same values changes nothing either. */
	ck_assert_int_eq(fp_statefile_set(t, names[0], etags[0], NULL, 0),
			 FP_OK);
	ck_assert_int_eq(fp_statefile_save(t), FP_OK);
	ck_assert(!exists(FP_STATEFILE_NAME));
	/* A removal does. */
	ck_assert_int_eq(fp_statefile_remove(t, names[1]), FP_OK);
	ck_assert_int_eq(fp_statefile_save(t), FP_OK);
	ck_assert(exists(FP_STATEFILE_NAME));
	fp_statefile_free(t);
	fp_statefile_free(s);
}
END_TEST

START_TEST(corrupt_lines_skipped)
{
	static const char head[] =
		"# fetchpool state 1\n"
		"good1\t10\t\"e1\"\t\n"
		"\n"
		"# a comment\n"
		"too\tfew\tfields\n"
		"too\tmany\tfields\there\tand more\n"
		"negative\t-5\t\t\n"
		"letters\t12a\t\t\n"
		"overflow\t99999999999999999999\t\t\n"
		"bad escape\t1\t\\x0\t\n"
		"bad hex\t1\t\\xzz\t\n"
		"escaped nul\t1\t\\x00\t\n"
		"escaped crlf in etag\t1\t\"a\\x0d\\x0aX: y\"\t\n"
		"raw\x01" "control\t1\t\t\n"
		"\t1\t\t\n"
		"a/../b\t1\t\t\n"
		"..\t1\t\t\n"
		"trailing backslash\\\t1\t\t\n"
		"good2\t\t\t\\x23last\n"
		"dup\t1\t\"old\"\t\n"
		"dup\t2\t\"new\"\t\n";
	static const char nul_line[] = "nul\0byte\t1\t\t\n";
	const size_t long_len = 1024 * 1024;
	char *buf, *p;
	size_t total;
	struct fp_statefile *s = fresh();
	struct fp_state_rec rec;

	total = sizeof(head) - 1 + sizeof(nul_line) - 1 + long_len + 1 +
		256 + 64;
	buf = malloc(total);
	ck_assert_ptr_nonnull(buf);
	p = buf;
	memcpy(p, head, sizeof(head) - 1);
	p += sizeof(head) - 1;
	memcpy(p, nul_line, sizeof(nul_line) - 1);
	p += sizeof(nul_line) - 1;
	/* A 1 MB line of which a valid record is the start. */
	memcpy(p, "long\t1\t\t", 8);
	memset(p + 8, 'A', long_len - 8);
	p += long_len;
	*p++ = '\n';
	/* Binary junk with no newline at all, then a final good record
	 * without a newline either. */
	{
		int i;

		for (i = 0; i < 256; i++)
			*p++ = (char)(i == '\n' ? 0 : i);
		*p++ = '\n';
	}
	memcpy(p, "last\t3\t\t", 8);
	p += 8;
	write_file(FP_STATEFILE_NAME, buf, (size_t)(p - buf));
	free(buf);

	ck_assert_int_eq(fp_statefile_load(s), FP_OK);
	ck_assert_int_eq(fp_statefile_get(s, "good1", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "\"e1\"");
	ck_assert_int_eq(rec.size, 10);
	ck_assert_int_eq(fp_statefile_get(s, "good2", &rec), FP_OK);
	ck_assert_str_eq(rec.last_modified, "#last");
	ck_assert_int_eq(rec.size, -1);
	ck_assert_int_eq(fp_statefile_get(s, "dup", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "\"new\"");
	ck_assert_int_eq(rec.size, 2);
	ck_assert_int_eq(fp_statefile_get(s, "last", &rec), FP_OK);
	ck_assert_int_eq(rec.size, 3);
	ck_assert_uint_eq(fp_statefile_count(s), 4);
	/* 14 bad lines above (comments and blank lines are not bad), the
	 * NUL line, the long line, the binary line. */
	ck_assert_uint_eq(fp_statefile_skipped(s), 17);
	fp_statefile_free(s);
}
END_TEST

START_TEST(symlinks_and_odd_files)
{
	struct fp_statefile *s = fresh();
	char *text;

	write_file("victim", "precious", 8);
	ck_assert_int_eq(symlinkat("victim", dirfd_, FP_STATEFILE_NAME), 0);
	errno = 0;
	ck_assert_int_eq(fp_statefile_load(s), FP_EIO);
	ck_assert_int_eq(errno, ELOOP);
	/* A link planted at the temporary name is removed, not followed;
	 * the link at the state name is replaced by the rename. */
	ck_assert_int_eq(symlinkat("victim", dirfd_, FP_STATEFILE_TMP), 0);
	ck_assert_int_eq(fp_statefile_set(s, "a", "\"1\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	text = read_file("victim");
	ck_assert_str_eq(text, "precious");
	free(text);
	text = read_file(FP_STATEFILE_NAME);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "a\t1\t\"1\"\t\n"));
	free(text);
	ck_assert(!exists(FP_STATEFILE_TMP));
	fp_statefile_free(s);

	/* A FIFO at the name: refused without blocking. */
	ck_assert_int_eq(unlinkat(dirfd_, FP_STATEFILE_NAME, 0), 0);
	ck_assert_int_eq(mkfifoat(dirfd_, FP_STATEFILE_NAME, 0644), 0);
	s = fresh();
	ck_assert_int_eq(fp_statefile_load(s), FP_EIO);
	fp_statefile_free(s);
}
END_TEST

START_TEST(save_failure_keeps_old_file)
{
	struct fp_statefile *s = fresh();
	char *text;

	ck_assert_int_eq(fp_statefile_set(s, "a", "\"1\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	/* A directory at the state name makes the rename fail. */
	ck_assert_int_eq(unlinkat(dirfd_, FP_STATEFILE_NAME, 0), 0);
	ck_assert_int_eq(mkdirat(dirfd_, FP_STATEFILE_NAME, 0755), 0);
	ck_assert_int_eq(fp_statefile_set(s, "b", "\"2\"", NULL, 2), FP_OK);
	ck_assert_int_eq(fp_statefile_save(s), FP_EIO);
	ck_assert(!exists(FP_STATEFILE_TMP));
	/* Still dirty: once the obstacle is gone, the save goes through. */
	ck_assert_int_eq(unlinkat(dirfd_, FP_STATEFILE_NAME, AT_REMOVEDIR), 0);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	text = read_file(FP_STATEFILE_NAME);
	ck_assert_ptr_nonnull(strstr(text, "b\t2\t"));
	free(text);
	fp_statefile_free(s);
}
END_TEST

START_TEST(many_records)
{
	const int n = 100000;
	struct fp_statefile *s = fresh(), *t;
	struct fp_state_rec rec;
	char name[32], etag[32];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "file-%d.txt", i);
		snprintf(etag, sizeof(etag), "\"%x\"",
			 (unsigned)i * 2654435761u);
		ck_assert_int_eq(fp_statefile_set(s, name, etag, NULL, i),
				 FP_OK);
	}
	for (i = 0; i < n; i += 3) {
		snprintf(name, sizeof(name), "file-%d.txt", i);
		ck_assert_int_eq(fp_statefile_remove(s, name), FP_OK);
	}
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	t = fresh();
	ck_assert_int_eq(fp_statefile_load(t), FP_OK);
	ck_assert_uint_eq(fp_statefile_count(t), fp_statefile_count(s));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "file-%d.txt", i);
		if (i % 3 == 0) {
			ck_assert_int_eq(fp_statefile_get(t, name, &rec),
					 FP_ENOENT);
			continue;
		}
		snprintf(etag, sizeof(etag), "\"%x\"",
			 (unsigned)i * 2654435761u);
		ck_assert_int_eq(fp_statefile_get(t, name, &rec), FP_OK);
		ck_assert_str_eq(rec.etag, etag);
		ck_assert_int_eq(rec.size, i);
	}
	fp_statefile_free(t);
	fp_statefile_free(s);
}
END_TEST

#define THREADS 8
#define PER_THREAD 3000

struct worker_arg {
	struct fp_statefile *s;
	int id;
	int errors;
};

static void *worker(void *p)
{
	struct worker_arg *a = p;
	struct fp_state_rec rec;
	char name[32], etag[32];
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		snprintf(name, sizeof(name), "t%d-%d", a->id, i);
		snprintf(etag, sizeof(etag), "\"%d.%d\"", a->id, i);
		if (fp_statefile_set(a->s, name, etag, NULL, i) != FP_OK)
			a->errors++;
		if (fp_statefile_get(a->s, name, &rec) != FP_OK ||
		    strcmp(rec.etag, etag) != 0 || rec.size != i)
			a->errors++;
		/* A name every thread fights over. */
		if (fp_statefile_set(a->s, "shared", etag, NULL, a->id) !=
		    FP_OK)
			a->errors++;
		if (i % 2 && fp_statefile_remove(a->s, name) != FP_OK)
			a->errors++;
		if (i % 500 == 0 && fp_statefile_save(a->s) != FP_OK)
			a->errors++;
	}
	return NULL;
}

START_TEST(concurrent_workers)
{
	struct fp_statefile *s = fresh(), *t;
	struct worker_arg args[THREADS];
	pthread_t th[THREADS];
	struct fp_state_rec rec;
	int i;

	for (i = 0; i < THREADS; i++) {
		args[i].s = s;
		args[i].id = i;
		args[i].errors = 0;
		ck_assert_int_eq(
			pthread_create(&th[i], NULL, worker, &args[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(args[i].errors, 0);
	}
	ck_assert_uint_eq(fp_statefile_count(s),
			  THREADS * (PER_THREAD / 2) + 1);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	t = fresh();
	ck_assert_int_eq(fp_statefile_load(t), FP_OK);
	ck_assert_uint_eq(fp_statefile_count(t), fp_statefile_count(s));
	ck_assert_int_eq(fp_statefile_get(t, "shared", &rec), FP_OK);
	ck_assert_int_ge(rec.size, 0);
	ck_assert_int_lt(rec.size, THREADS);
	fp_statefile_free(t);
	fp_statefile_free(s);
}
END_TEST

static void expect_etag(struct fp_statefile *s, const char *name,
			const char *etag)
{
	struct fp_state_rec rec;

	if (!etag) {
		ck_assert_msg(fp_statefile_get(s, name, &rec) == FP_ENOENT,
			      "'%s' should be gone", name);
		return;
	}
	ck_assert_msg(fp_statefile_get(s, name, &rec) == FP_OK,
		      "'%s' lost", name);
	ck_assert_str_eq(rec.etag, etag);
}

/* Two runs (two shards) load the same file, each sets its own names and
 * saves: the second save keeps the first one's records. */
START_TEST(merge_keeps_other_runs_records)
{
	struct fp_statefile *a = fresh(), *b = fresh(), *c = fresh();

	ck_assert_int_eq(fp_statefile_set(a, "old", "\"0\"", NULL, 0), FP_OK);
	ck_assert_int_eq(fp_statefile_save(a), FP_OK);
	fp_statefile_free(a);
	a = fresh();
	ck_assert_int_eq(fp_statefile_load(a), FP_OK);
	ck_assert_int_eq(fp_statefile_load(b), FP_OK);
	ck_assert_int_eq(fp_statefile_set(a, "x", "\"a\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_set(b, "y", "\"b\"", NULL, 2), FP_OK);
	ck_assert_int_eq(fp_statefile_save(a), FP_OK);
	ck_assert_int_eq(fp_statefile_save(b), FP_OK);
	ck_assert(!exists(FP_STATEFILE_TMP));
	ck_assert(exists(FP_STATEFILE_LOCK));
	ck_assert_int_eq(fp_statefile_load(c), FP_OK);
	ck_assert_uint_eq(fp_statefile_count(c), 3);
	expect_etag(c, "old", "\"0\"");
	expect_etag(c, "x", "\"a\"");
	expect_etag(c, "y", "\"b\"");
	fp_statefile_free(a);
	fp_statefile_free(b);
	fp_statefile_free(c);
}
END_TEST

/* A record this run touched wins; one it only loaded does not overwrite
 * a newer value another run saved meanwhile. */
START_TEST(merge_touched_records_win)
{
	struct fp_statefile *a = fresh(), *b = fresh(), *c;

	ck_assert_int_eq(fp_statefile_set(a, "x", "\"v1\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(a), FP_OK);
	ck_assert_int_eq(fp_statefile_load(b), FP_OK); /* b: x = v1 */
	ck_assert_int_eq(fp_statefile_set(a, "x", "\"v2\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(a), FP_OK);
	ck_assert_int_eq(fp_statefile_set(b, "y", "\"y\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(b), FP_OK);
	c = fresh();
	ck_assert_int_eq(fp_statefile_load(c), FP_OK);
	expect_etag(c, "x", "\"v2\"");
	expect_etag(c, "y", "\"y\"");
	fp_statefile_free(c);
	/* Now b sets x itself: its value wins. */
	ck_assert_int_eq(fp_statefile_set(b, "x", "\"v3\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(b), FP_OK);
	c = fresh();
	ck_assert_int_eq(fp_statefile_load(c), FP_OK);
	expect_etag(c, "x", "\"v3\"");
	fp_statefile_free(c);
	/* A save with nothing touched since writes nothing. */
	ck_assert_int_eq(unlinkat(dirfd_, FP_STATEFILE_NAME, 0), 0);
	ck_assert_int_eq(fp_statefile_save(b), FP_OK);
	ck_assert(!exists(FP_STATEFILE_NAME));
	fp_statefile_free(a);
	fp_statefile_free(b);
}
END_TEST

/* A removal is merged too, and a run that only loaded a name does not
 * bring it back. */
START_TEST(merge_removals)
{
	struct fp_statefile *a = fresh(), *b = fresh(), *c = fresh(), *d;

	ck_assert_int_eq(fp_statefile_set(a, "x", "\"x\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_set(a, "y", "\"y\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(a), FP_OK);
	ck_assert_int_eq(fp_statefile_load(b), FP_OK);
	ck_assert_int_eq(fp_statefile_load(c), FP_OK);
	ck_assert_int_eq(fp_statefile_remove(b, "x"), FP_OK);
	ck_assert_int_eq(fp_statefile_remove(b, "x"), FP_ENOENT);
	expect_etag(b, "x", NULL);
	ck_assert_uint_eq(fp_statefile_count(b), 1);
	ck_assert_int_eq(fp_statefile_save(b), FP_OK);
	ck_assert_int_eq(fp_statefile_set(c, "z", "\"z\"", NULL, 1), FP_OK);
	ck_assert_int_eq(fp_statefile_save(c), FP_OK);
	d = fresh();
	ck_assert_int_eq(fp_statefile_load(d), FP_OK);
	expect_etag(d, "x", NULL);
	expect_etag(d, "y", "\"y\"");
	expect_etag(d, "z", "\"z\"");
	ck_assert_uint_eq(fp_statefile_count(d), 2);
	/* Removed, then set again: set wins. */
	ck_assert_int_eq(fp_statefile_set(b, "x", "\"x2\"", NULL, 1), FP_OK);
	expect_etag(b, "x", "\"x2\"");
	ck_assert_int_eq(fp_statefile_save(b), FP_OK);
	fp_statefile_free(d);
	d = fresh();
	ck_assert_int_eq(fp_statefile_load(d), FP_OK);
	expect_etag(d, "x", "\"x2\"");
	fp_statefile_free(a);
	fp_statefile_free(b);
	fp_statefile_free(c);
	fp_statefile_free(d);
}
END_TEST

/* Processes saving at the same moment, over and over: every save
 * succeeds and no record is lost (the state lock serialises the
 * read-merge-rename; without it saves collide on the temporary file and
 * overwrite each other's records). */
START_TEST(merge_concurrent_processes)
{
	enum { PROCS = 6, ROUNDS = 25 };
	struct fp_statefile *s;
	char name[32];
	pid_t pids[PROCS];
	int p, i, status;

	for (p = 0; p < PROCS; p++) {
		pids[p] = fork();
		ck_assert_int_ge(pids[p], 0);
		if (pids[p] == 0) {
			int bad = 0;

			s = NULL;
			if (fp_statefile_create(dirfd_, &s) ||
			    fp_statefile_load(s))
				_exit(2);
			for (i = 0; i < ROUNDS; i++) {
				snprintf(name, sizeof(name), "p%d-%d", p, i);
				if (fp_statefile_set(s, name, "\"e\"", NULL,
						     i))
					bad = 1;
				if (fp_statefile_save(s))
					bad = 1;
			}
			fp_statefile_free(s);
			_exit(bad);
		}
	}
	for (p = 0; p < PROCS; p++) {
		ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "process %d: a save failed", p);
	}
	s = fresh();
	ck_assert_int_eq(fp_statefile_load(s), FP_OK);
	ck_assert_uint_eq(fp_statefile_count(s), PROCS * ROUNDS);
	for (p = 0; p < PROCS; p++)
		for (i = 0; i < ROUNDS; i++) {
			snprintf(name, sizeof(name), "p%d-%d", p, i);
			expect_etag(s, name, "\"e\"");
		}
	fp_statefile_free(s);
}
END_TEST

/* ---- The journal -------------------------------------------------------- */

static struct fp_statefile *journaling(void)
{
	struct fp_statefile *s = fresh();

	ck_assert_int_eq(fp_statefile_load(s), FP_OK);
	ck_assert_int_eq(fp_statefile_journal(s, 0), FP_OK);
	return s;
}

static struct fp_statefile *loaded(void)
{
	struct fp_statefile *s = fresh();

	ck_assert_int_eq(fp_statefile_load(s), FP_OK);
	return s;
}

static off_t size_of(const char *name)
{
	struct stat st;

	ck_assert_int_eq(fstatat(dirfd_, name, &st, AT_SYMLINK_NOFOLLOW), 0);
	return st.st_size;
}

/* A run killed before its save: what it set is in the journal. */
START_TEST(journal_replayed_without_save)
{
	struct fp_statefile *s = journaling();
	struct fp_state_rec rec;

	ck_assert(!exists(FP_STATEFILE_JOURNAL)); /* created lazily */
	ck_assert_int_eq(fp_statefile_set(s, "a.txt", "\"A\"", NULL, -1),
			 FP_OK);
	ck_assert_int_eq(fp_statefile_set(s, "b\tx#", "\"B\"",
					  "Mon, 01 Jan 2024 00:00:00 GMT", 7),
			 FP_OK);
	ck_assert_int_eq(fp_statefile_set(s, "c.txt", "\"C\"", NULL, -1),
			 FP_OK);
	ck_assert_int_eq(fp_statefile_remove(s, "c.txt"), FP_OK);
	ck_assert(exists(FP_STATEFILE_JOURNAL));
	fp_statefile_free(s); /* no save: "killed" */
	ck_assert(!exists(FP_STATEFILE_NAME));

	s = loaded();
	ck_assert_uint_eq(fp_statefile_count(s), 2);
	ck_assert_uint_eq(fp_statefile_skipped(s), 0);
	expect_etag(s, "a.txt", "\"A\"");
	ck_assert_int_eq(fp_statefile_get(s, "b\tx#", &rec), FP_OK);
	ck_assert_str_eq(rec.etag, "\"B\"");
	ck_assert_str_eq(rec.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
	ck_assert_int_eq(rec.size, 7);
	ck_assert_int_eq(fp_statefile_get(s, "c.txt", &rec), FP_ENOENT);
	/* Replayed records make the next save fold them in. */
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	fp_statefile_free(s);
	ck_assert(exists(FP_STATEFILE_NAME));
	ck_assert_int_eq(size_of(FP_STATEFILE_JOURNAL), 0);
	s = loaded();
	ck_assert_uint_eq(fp_statefile_count(s), 2);
	expect_etag(s, "a.txt", "\"A\"");
	fp_statefile_free(s);
}
END_TEST

/* The journal's records are newer than the state file. */
START_TEST(journal_over_state_file)
{
	struct fp_statefile *s = journaling();

	fp_statefile_set(s, "a.txt", "\"old\"", NULL, -1);
	fp_statefile_set(s, "b.txt", "\"b\"", NULL, -1);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	fp_statefile_set(s, "a.txt", "\"new\"", NULL, -1);
	fp_statefile_remove(s, "b.txt");
	fp_statefile_free(s);
	s = loaded();
	expect_etag(s, "a.txt", "\"new\"");
	ck_assert_uint_eq(fp_statefile_count(s), 1);
	fp_statefile_free(s);
}
END_TEST

/* A crash tears the last record: it is ignored, the others are not, and
 * a record appended after it is not glued to it. */
START_TEST(journal_torn_and_corrupt_lines)
{
	struct fp_statefile *s = journaling();
	char *j, *copy;
	size_t len;

	fp_statefile_set(s, "a.txt", "\"A\"", NULL, -1);
	fp_statefile_set(s, "b.txt", "\"B\"", NULL, -1);
	fp_statefile_free(s);
	j = read_file(FP_STATEFILE_JOURNAL);
	ck_assert_ptr_nonnull(j);
	len = strlen(j);
	/* Every cut of the second record: a.txt only. */
	for (size_t cut = strchr(j, '\n') - j + 1; cut < len; cut++) {
		write_file(FP_STATEFILE_JOURNAL, j, cut);
		s = loaded();
		ck_assert_msg(fp_statefile_count(s) == 1, "cut at %zu", cut);
		expect_etag(s, "a.txt", "\"A\"");
		ck_assert_uint_eq(fp_statefile_skipped(s), 0);
		fp_statefile_free(s);
	}
	/* A flipped byte: the check value refuses the record. */
	copy = strdup(j);
	ck_assert_ptr_nonnull(copy);
	copy[len - 14] ^= 1;
	write_file(FP_STATEFILE_JOURNAL, copy, len);
	s = loaded();
	ck_assert_uint_eq(fp_statefile_count(s), 1);
	fp_statefile_free(s);
	/* A torn tail, then a new run appends. */
	write_file(FP_STATEFILE_JOURNAL, j, len - 3);
	s = journaling();
	fp_statefile_set(s, "c.txt", "\"C\"", NULL, -1);
	fp_statefile_free(s);
	s = loaded();
	ck_assert_uint_eq(fp_statefile_count(s), 2);
	expect_etag(s, "a.txt", "\"A\"");
	expect_etag(s, "c.txt", "\"C\"");
	fp_statefile_free(s);
	free(copy);
	free(j);
}
END_TEST

/* NAME and NAME.part side by side: the record may be the part's (a new
 * version not yet renamed); the older one is kept, so NAME is checked
 * against validators that describe it. */
START_TEST(journal_unsettled_name_keeps_old_record)
{
	struct fp_statefile *s = journaling();

	fp_statefile_set(s, "a.txt", "\"v1\"", NULL, -1);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	write_file("a.txt", "v1", 2);
	write_file("a.txt.part", "v2", 2);
	fp_statefile_set(s, "a.txt", "\"v2\"", NULL, -1);
	fp_statefile_free(s);
	s = loaded();
	expect_etag(s, "a.txt", "\"v1\"");
	fp_statefile_free(s);
	/* Renamed: the record holds. */
	ck_assert_int_eq(renameat(dirfd_, "a.txt.part", dirfd_, "a.txt"), 0);
	s = loaded();
	expect_etag(s, "a.txt", "\"v2\"");
	fp_statefile_free(s);
	/* A .part alone (a resume): its record holds too. */
	ck_assert_int_eq(renameat(dirfd_, "a.txt", dirfd_, "a.txt.part"), 0);
	s = loaded();
	expect_etag(s, "a.txt", "\"v2\"");
	fp_statefile_free(s);
}
END_TEST

/* Shards appending to one journal while others fold it: killed or not,
 * no record is lost. */
START_TEST(journal_concurrent_shards)
{
	enum { PROCS = 4, ROUNDS = 200 };
	struct fp_statefile *s;
	char name[32];
	pid_t pids[PROCS];
	int p, i, status;

	for (p = 0; p < PROCS; p++) {
		pids[p] = fork();
		ck_assert_int_ge(pids[p], 0);
		if (pids[p] == 0) {
			s = NULL;
			if (fp_statefile_create(dirfd_, &s) ||
			    fp_statefile_load(s) || fp_statefile_journal(s, 0))
				_exit(2);
			for (i = 0; i < ROUNDS; i++) {
				snprintf(name, sizeof(name), "p%d-%d", p, i);
				if (fp_statefile_set(s, name, "\"e\"", NULL, i))
					_exit(1);
				/* Even shards save now and then; odd ones
				 * die without saving. */
				if (p % 2 == 0 && i % 50 == 49 &&
				    fp_statefile_save(s))
					_exit(1);
			}
			_exit(0); /* no free, no save: killed */
		}
	}
	for (p = 0; p < PROCS; p++) {
		ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	s = loaded();
	ck_assert_uint_eq(fp_statefile_count(s), PROCS * ROUNDS);
	ck_assert_uint_eq(fp_statefile_skipped(s), 0);
	ck_assert_int_eq(fp_statefile_save(s), FP_OK);
	fp_statefile_free(s);
	ck_assert_int_eq(size_of(FP_STATEFILE_JOURNAL), 0);
	s = loaded();
	ck_assert_uint_eq(fp_statefile_count(s), PROCS * ROUNDS);
	fp_statefile_free(s);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("statefile");
	TCase *tc = unit_tcase("statefile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, missing_is_empty);
	tcase_add_test(tc, set_get_remove);
	tcase_add_test(tc, hostile_validators_dropped);
	tcase_add_test(tc, save_load_round_trip);
	tcase_add_test(tc, corrupt_lines_skipped);
	tcase_add_test(tc, symlinks_and_odd_files);
	tcase_add_test(tc, save_failure_keeps_old_file);
	tcase_add_test(tc, many_records);
	tcase_add_test(tc, concurrent_workers);
	tcase_add_test(tc, merge_keeps_other_runs_records);
	tcase_add_test(tc, merge_touched_records_win);
	tcase_add_test(tc, merge_removals);
	tcase_add_test(tc, merge_concurrent_processes);
	tcase_add_test(tc, journal_replayed_without_save);
	tcase_add_test(tc, journal_over_state_file);
	tcase_add_test(tc, journal_torn_and_corrupt_lines);
	tcase_add_test(tc, journal_unsettled_name_keeps_old_record);
	tcase_add_test(tc, journal_concurrent_shards);
	suite_add_tcase(s, tc);
	return s;
}
