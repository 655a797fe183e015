/* Run report: fields and totals parsed back with cJSON, escaping of hostile
 * strings, atomic appearance, abort, streaming, concurrent adds, write
 * errors. */
#include "runner.h"
#include "scratch.h"

#include "error.h"
#include "report.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[64];
static char path[128];
static char tmppath[160];

static void setup(void)
{
	unit_scratch_make(tmpdir, sizeof(tmpdir), "report", 0);
	snprintf(path, sizeof(path), "%s/report.json", tmpdir);
	snprintf(tmppath, sizeof(tmppath), "%s.tmp", path);
}

static void teardown(void)
{
	unit_scratch_remove(tmpdir, -1);
}

static int exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Strict UTF-8 check (RFC 3629), written independently of report.c. */
static int valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], need, k;
		unsigned long cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			need = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + need >= len)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

static cJSON *load_report(void)
{
	size_t len;
	char *text = slurp(path, &len);
	cJSON *root;

	ck_assert_ptr_nonnull(text);
	ck_assert_msg(valid_utf8((unsigned char *)text, len),
		      "report is not valid UTF-8");
	root = cJSON_ParseWithLength(text, len);
	ck_assert_msg(root != NULL, "report is not valid JSON");
	free(text);
	return root;
}

static long long num(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number", key);
	return (long long)v->valuedouble;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	ck_assert_msg(cJSON_IsString(v), "%s is not a string", key);
	return v->valuestring;
}

static int is_null(const cJSON *obj, const char *key)
{
	return cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(obj, key));
}

START_TEST(fields_and_totals)
{
	struct fp_report *r;
	struct fp_report_job job = {0};
	const cJSON *jobs, *j, *totals;
	cJSON *root;
	const char *started;

	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	ck_assert(exists(tmppath));
	ck_assert(!exists(path));

	job.line = 3;
	job.source = "https://example.org/a.txt";
	job.url = "https://example.org/a.txt";
	job.title = "War and Peace";
	job.path = "downloads/a.txt";
	job.status = FP_REPORT_OK;
	job.http_status = 200;
	job.bytes = 3359584;
	job.attempts = 1;
	job.elapsed_ms = 412;
	ck_assert_int_eq(fp_report_add(r, &job), FP_OK);

	memset(&job, 0, sizeof(job));
	job.line = 4;
	job.source = "1342";
	job.url = "https://www.gutenberg.org/cache/epub/1342/pg1342.txt";
	job.title = "Pride and Prejudice";
	job.path = "downloads/pg1342.txt";
	job.status = FP_REPORT_FAILED;
	job.http_status = 503;
	job.bytes = 0;
	job.attempts = 4;
	job.elapsed_ms = 9000;
	job.error = "HTTP 503 Service Unavailable";
	ck_assert_int_eq(fp_report_add(r, &job), FP_OK);

	memset(&job, 0, sizeof(job)); /* line 0, no http status: nulls */
	job.source = "ftp://x";
	job.status = FP_REPORT_INVALID;
	job.error = "unsupported scheme";
	ck_assert_int_eq(fp_report_add(r, &job), FP_OK);

	job.status = FP_REPORT_UP_TO_DATE;
	job.http_status = 304;
	ck_assert_int_eq(fp_report_add(r, &job), FP_OK);
	job.status = FP_REPORT_CANCELLED;
	job.bytes = 9007199254740993LL; /* 2^53 + 1: not a double */
	job.attempts = 2;
	ck_assert_int_eq(fp_report_add(r, &job), FP_OK);
	job.status = (enum fp_report_status)FP_REPORT_STATUS_COUNT;
	ck_assert_int_eq(fp_report_add(r, &job), FP_EINVAL);
	ck_assert_uint_eq(fp_report_count(r, FP_REPORT_FAILED), 1);

	ck_assert(!exists(path)); /* nothing visible before finish */
	ck_assert_int_eq(fp_report_finish(r), FP_OK);
	ck_assert(exists(path));
	ck_assert(!exists(tmppath));
	ck_assert_int_eq(fp_report_finish(r), FP_EINVAL);
	job.status = FP_REPORT_OK;
	ck_assert_int_eq(fp_report_add(r, &job), FP_EINVAL);
	fp_report_free(r);
	ck_assert(exists(path)); /* free after finish keeps it */

	root = load_report();
	ck_assert_int_eq(num(root, "version"), 1);
	started = str(root, "started");
	ck_assert_uint_eq(strlen(started), 20);
	ck_assert_int_eq(started[4], '-');
	ck_assert_int_eq(started[10], 'T');
	ck_assert_int_eq(started[19], 'Z');
	ck_assert_int_ge(num(root, "elapsed_ms"), 0);
	ck_assert_uint_eq(strlen(str(root, "finished")), 20);

	jobs = cJSON_GetObjectItemCaseSensitive(root, "jobs");
	ck_assert(cJSON_IsArray(jobs));
	ck_assert_int_eq(cJSON_GetArraySize(jobs), 5);
	j = cJSON_GetArrayItem(jobs, 0);
	ck_assert_int_eq(num(j, "line"), 3);
	ck_assert_str_eq(str(j, "source"), "https://example.org/a.txt");
	ck_assert_str_eq(str(j, "url"), "https://example.org/a.txt");
	ck_assert_str_eq(str(j, "title"), "War and Peace");
	ck_assert_str_eq(str(j, "path"), "downloads/a.txt");
	ck_assert_str_eq(str(j, "status"), "ok");
	ck_assert_int_eq(num(j, "http_status"), 200);
	ck_assert_int_eq(num(j, "bytes"), 3359584);
	ck_assert_int_eq(num(j, "attempts"), 1);
	ck_assert_int_eq(num(j, "elapsed_ms"), 412);
	ck_assert(is_null(j, "error"));

	j = cJSON_GetArrayItem(jobs, 1);
	ck_assert_str_eq(str(j, "status"), "failed");
	ck_assert_int_eq(num(j, "http_status"), 503);
	ck_assert_int_eq(num(j, "attempts"), 4);
	ck_assert_str_eq(str(j, "error"), "HTTP 503 Service Unavailable");

	j = cJSON_GetArrayItem(jobs, 2);
	ck_assert_str_eq(str(j, "status"), "invalid");
	ck_assert(is_null(j, "line"));
	ck_assert(is_null(j, "http_status"));
	ck_assert(is_null(j, "url"));
	ck_assert(is_null(j, "title"));
	ck_assert(is_null(j, "path"));
	ck_assert_str_eq(str(cJSON_GetArrayItem(jobs, 3), "status"),
			 "up_to_date");
	ck_assert_str_eq(str(cJSON_GetArrayItem(jobs, 4), "status"),
			 "cancelled");

	totals = cJSON_GetObjectItemCaseSensitive(root, "totals");
	ck_assert(cJSON_IsObject(totals));
	ck_assert_int_eq(num(totals, "jobs"), 5);
	ck_assert_int_eq(num(totals, "ok"), 1);
	ck_assert_int_eq(num(totals, "up_to_date"), 1);
	ck_assert_int_eq(num(totals, "failed"), 1);
	ck_assert_int_eq(num(totals, "cancelled"), 1);
	ck_assert_int_eq(num(totals, "invalid"), 1);
	ck_assert_int_eq(num(totals, "attempts"), 1 + 4 + 0 + 0 + 2);
	ck_assert_int_eq(num(totals, "retries"), 3 + 1);
	cJSON_Delete(root);

	/* 64-bit byte counts are written exactly, not as a double. */
	{
		char *text = slurp(path, NULL);

		ck_assert_ptr_nonnull(
			strstr(text, "\"bytes\":9007199254740993,"));
		ck_assert_ptr_nonnull(
			strstr(text, "\"bytes\":9007199258100577,"));
		free(text);
	}
}
END_TEST

START_TEST(hostile_strings)
{
	static const char *const titles[] = {
		"He said \"hi\" \\ and left",
		"tab\there\nnewline\r\x01\x1f\x7f end",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9a",  /* valid */
		"bad \xff byte",
		"overlong \xc0\xaf slash",
		"surrogate \xed\xa0\x80 half",
		"truncated \xe2\x82",
		"too high \xf4\x90\x80\x80",
		"</script><script>alert(1)</script>",
		"\xc3",
	};
	static const char *const expect[] = {
		"He said \"hi\" \\ and left",
		"tab\there\nnewline\r\x01\x1f\x7f end",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9a",
		"bad \xef\xbf\xbd byte",
		"overlong \xef\xbf\xbd\xef\xbf\xbd slash",
		"surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd half",
		"truncated \xef\xbf\xbd\xef\xbf\xbd",
		"too high \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		"</script><script>alert(1)</script>",
		"\xef\xbf\xbd",
	};
	const size_t n = sizeof(titles) / sizeof(titles[0]);
	struct fp_report *r;
	struct fp_report_job job = {0};
	const cJSON *jobs;
	cJSON *root;
	char *big;
	size_t i;

	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	for (i = 0; i < n; i++) {
		job.line = (long)i + 1;
		job.title = titles[i];
		job.error = titles[i];
		job.source = titles[i];
		job.status = FP_REPORT_FAILED;
		ck_assert_int_eq(fp_report_add(r, &job), FP_OK);
	}
	/* A 1 MB title of invalid bytes. */
	big = malloc(1024 * 1024 + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 0xfe, 1024 * 1024);
	big[1024 * 1024] = '\0';
	job.title = big;
	ck_assert_int_eq(fp_report_add(r, &job), FP_OK);
	free(big);
	ck_assert_int_eq(fp_report_finish(r), FP_OK);
	fp_report_free(r);

	root = load_report(); /* asserts valid JSON and valid UTF-8 */
	jobs = cJSON_GetObjectItemCaseSensitive(root, "jobs");
	ck_assert_int_eq(cJSON_GetArraySize(jobs), (int)n + 1);
	for (i = 0; i < n; i++) {
		const cJSON *j = cJSON_GetArrayItem(jobs, (int)i);

		ck_assert_str_eq(str(j, "title"), expect[i]);
		ck_assert_str_eq(str(j, "error"), expect[i]);
		ck_assert_str_eq(str(j, "source"), expect[i]);
	}
	ck_assert_uint_eq(strlen(str(cJSON_GetArrayItem(jobs, (int)n),
				     "title")),
			  3 * 1024 * 1024);
	cJSON_Delete(root);
}
END_TEST

START_TEST(abort_removes_tmp)
{
	struct fp_report *r;
	struct fp_report_job job = {0};
	FILE *f;
	char *text;

	/* An older report stays as it was when this run aborts. */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"old\":true}\n", f);
	fclose(f);
	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	job.status = FP_REPORT_OK;
	ck_assert_int_eq(fp_report_add(r, &job), FP_OK);
	ck_assert(exists(tmppath));
	fp_report_free(r);
	ck_assert(!exists(tmppath));
	text = slurp(path, NULL);
	ck_assert_str_eq(text, "{\"old\":true}\n");
	free(text);
	fp_report_free(NULL);

	/* A finished run replaces it. */
	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	ck_assert_int_eq(fp_report_finish(r), FP_OK);
	fp_report_free(r);
	text = slurp(path, NULL);
	ck_assert_ptr_null(strstr(text, "old"));
	free(text);
}
END_TEST

START_TEST(empty_report)
{
	struct fp_report *r;
	cJSON *root;
	const cJSON *jobs;

	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	ck_assert_int_eq(fp_report_finish(r), FP_OK);
	fp_report_free(r);
	root = load_report();
	jobs = cJSON_GetObjectItemCaseSensitive(root, "jobs");
	ck_assert(cJSON_IsArray(jobs));
	ck_assert_int_eq(cJSON_GetArraySize(jobs), 0);
	ck_assert_int_eq(num(cJSON_GetObjectItemCaseSensitive(root, "totals"),
			     "jobs"),
			 0);
	cJSON_Delete(root);
}
END_TEST

START_TEST(open_errors)
{
	struct fp_report *r = (struct fp_report *)&r;
	char bad[256];

	ck_assert_int_eq(fp_report_open(&r, NULL), FP_EINVAL);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(fp_report_open(&r, ""), FP_EINVAL);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/r.json", tmpdir);
	errno = 0;
	ck_assert_int_eq(fp_report_open(&r, bad), FP_EIO);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(symlink_at_tmp_not_followed)
{
	struct fp_report *r;
	char victim[160];
	char *text;
	FILE *f;

	snprintf(victim, sizeof(victim), "%s/victim", tmpdir);
	f = fopen(victim, "w");
	ck_assert_ptr_nonnull(f);
	fputs("precious", f);
	fclose(f);
	ck_assert_int_eq(symlink(victim, tmppath), 0);
	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	ck_assert_int_eq(fp_report_finish(r), FP_OK);
	fp_report_free(r);
	text = slurp(victim, NULL);
	ck_assert_str_eq(text, "precious");
	free(text);
	cJSON_Delete(load_report());
}
END_TEST

/* Jobs reach FILE.tmp as they are added: memory holds only totals. */
START_TEST(streams_to_disk)
{
	struct fp_report *r;
	struct fp_report_job job = {0};
	char title[201];
	struct stat st;
	int i;

	memset(title, 'T', 200);
	title[200] = '\0';
	job.title = title;
	job.status = FP_REPORT_OK;
	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	for (i = 0; i < 5000; i++)
		ck_assert_int_eq(fp_report_add(r, &job), FP_OK);
	ck_assert_int_eq(stat(tmppath, &st), 0);
	/* ~1.2 MB of JSON so far: all but one buffer is already on disk. */
	ck_assert_int_gt(st.st_size, 5000 * 200 - 128 * 1024);
	ck_assert(!exists(path));
	ck_assert_int_eq(fp_report_finish(r), FP_OK);
	fp_report_free(r);
	cJSON_Delete(load_report());
}
END_TEST

#define THREADS 8
#define PER_THREAD 4000

struct adder {
	struct fp_report *r;
	int id;
	int errors;
};

static void *adder_main(void *p)
{
	struct adder *a = p;
	struct fp_report_job job = {0};
	char title[32];
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		snprintf(title, sizeof(title), "%d:%d", a->id, i);
		job.title = title;
		job.line = (long)a->id * PER_THREAD + i + 1;
		job.status = (enum fp_report_status)(i % 5);
		job.bytes = i;
		job.attempts = 1;
		if (fp_report_add(a->r, &job) != FP_OK)
			a->errors++;
	}
	return NULL;
}

START_TEST(concurrent_adds)
{
	struct fp_report *r;
	struct adder a[THREADS];
	pthread_t th[THREADS];
	const cJSON *jobs, *j;
	unsigned char *seen;
	cJSON *root;
	int i;

	ck_assert_int_eq(fp_report_open(&r, path), FP_OK);
	for (i = 0; i < THREADS; i++) {
		a[i].r = r;
		a[i].id = i;
		a[i].errors = 0;
		ck_assert_int_eq(
			pthread_create(&th[i], NULL, adder_main, &a[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(a[i].errors, 0);
	}
	ck_assert_int_eq(fp_report_finish(r), FP_OK);
	fp_report_free(r);

	root = load_report();
	jobs = cJSON_GetObjectItemCaseSensitive(root, "jobs");
	ck_assert_int_eq(cJSON_GetArraySize(jobs), THREADS * PER_THREAD);
	seen = calloc(THREADS * PER_THREAD + 1, 1);
	ck_assert_ptr_nonnull(seen);
	cJSON_ArrayForEach(j, jobs)
	{
		long long line = num(j, "line");
		int tid, idx;
		char expect[32];

		ck_assert(line >= 1 && line <= THREADS * PER_THREAD);
		ck_assert_int_eq(seen[line], 0);
		seen[line] = 1;
		tid = (int)((line - 1) / PER_THREAD);
		idx = (int)((line - 1) % PER_THREAD);
		snprintf(expect, sizeof(expect), "%d:%d", tid, idx);
		ck_assert_str_eq(str(j, "title"), expect);
	}
	free(seen);
	j = cJSON_GetObjectItemCaseSensitive(root, "totals");
	ck_assert_int_eq(num(j, "jobs"), THREADS * PER_THREAD);
	ck_assert_int_eq(num(j, "ok"), THREADS * PER_THREAD / 5);
	ck_assert_int_eq(num(j, "bytes"), (long long)THREADS * PER_THREAD *
						  (PER_THREAD - 1) / 2);
	cJSON_Delete(root);
}
END_TEST

/* Child of the write-error test: 0 when every check holds. */
static int full_disk_child(void)
{
	struct rlimit rl = {200000, 200000};
	struct fp_report *r;
	struct fp_report_job job = {0};
	char title[1001];
	int i, rc = FP_OK;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
		return 1;
	if (fp_report_open(&r, path) != FP_OK)
		return 2;
	memset(title, 'x', 1000);
	title[1000] = '\0';
	job.title = title;
	job.status = FP_REPORT_OK;
	for (i = 0; i < 1000 && rc == FP_OK; i++)
		rc = fp_report_add(r, &job);
	if (rc != FP_EIO) /* 1 MB into a 200 KB limit */
		return 3;
	if (fp_report_finish(r) != FP_EIO || errno != EFBIG)
		return 4;
	fp_report_free(r);
	if (exists(path) || exists(tmppath))
		return 5;
	return 0;
}

START_TEST(write_error_not_published)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(full_disk_child());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_msg(WEXITSTATUS(status) == 0, "child check %d failed",
		      WEXITSTATUS(status));
}
END_TEST

START_TEST(status_names)
{
	ck_assert_str_eq(fp_report_status_name(FP_REPORT_OK), "ok");
	ck_assert_str_eq(fp_report_status_name(FP_REPORT_UP_TO_DATE),
			 "up_to_date");
	ck_assert_str_eq(fp_report_status_name(FP_REPORT_FAILED), "failed");
	ck_assert_str_eq(fp_report_status_name(FP_REPORT_CANCELLED),
			 "cancelled");
	ck_assert_str_eq(fp_report_status_name(FP_REPORT_INVALID), "invalid");
	ck_assert_ptr_null(fp_report_status_name(FP_REPORT_STATUS_COUNT));
	ck_assert_ptr_null(
		fp_report_status_name((enum fp_report_status)-1));
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = unit_tcase("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fields_and_totals);
	tcase_add_test(tc, hostile_strings);
	tcase_add_test(tc, abort_removes_tmp);
	tcase_add_test(tc, empty_report);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, symlink_at_tmp_not_followed);
	tcase_add_test(tc, streams_to_disk);
	tcase_add_test(tc, concurrent_adds);
	tcase_add_test(tc, write_error_not_published);
	tcase_add_test(tc, status_names);
	suite_add_tcase(s, tc);
	return s;
}
