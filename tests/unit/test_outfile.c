/* Output files: .part then rename, resume, restart, symlinks, write
 * errors (EFBIG through RLIMIT_FSIZE), stat helpers. */
#include "runner.h"
#include "scratch.h"

#include "error.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[64];
static int dirfd_;

static void setup(void)
{
	dirfd_ = unit_scratch_make(tmpdir, sizeof(tmpdir), "outfile", 1);
}

static void teardown(void)
{
	unit_scratch_remove(tmpdir, dirfd_);
}

/* Whole content of a file in the test dir (NUL-terminated), or NULL. */
static char *slurp(const char *name, size_t *len)
{
	int fd = openat(dirfd_, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(buf);
	while (got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}

static void spit(const char *name, const char *text)
{
	int fd = openat(dirfd_, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int exists(const char *name)
{
	struct stat st;

	return fstatat(dirfd_, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

START_TEST(write_publish)
{
	struct fp_outfile *o;
	int64_t existing = -1, size;
	struct stat st;
	time_t mtime;
	char *s;

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "a.txt", 0, &existing),
			 FP_OK);
	ck_assert_int_eq(existing, 0);
	ck_assert(exists("a.txt.part"));
	ck_assert(!exists("a.txt"));
	ck_assert_int_eq(fp_outfile_write(o, "hello ", 6), FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "", 0), FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "world", 5), FP_OK);
	ck_assert_int_eq(fp_outfile_size(o), 11);
	ck_assert_ptr_null(fp_outfile_error(o));
	ck_assert_int_eq(fp_outfile_publish(o, 784111777, 0), FP_OK);
	/* Once only; no writes after. */
	ck_assert_int_eq(fp_outfile_publish(o, -1, 0), FP_EINVAL);
	ck_assert_int_eq(fp_outfile_write(o, "x", 1), FP_EINVAL);
	fp_outfile_close(o);

	ck_assert(!exists("a.txt.part"));
	s = slurp("a.txt", NULL);
	ck_assert_str_eq(s, "hello world");
	free(s);
	ck_assert_int_eq(fstatat(dirfd_, "a.txt", &st, 0), 0);
	ck_assert_int_eq(st.st_mtime, 784111777);
	ck_assert_int_eq(st.st_mode & 0777 & ~0022, 0644 & ~0022);
	ck_assert_int_eq(fp_outfile_stat_final(dirfd_, "a.txt", &size,
					       &mtime),
			 FP_OK);
	ck_assert_int_eq(size, 11);
	ck_assert_int_eq(mtime, 784111777);
}
END_TEST

START_TEST(publish_durable_keeps_mtime_when_asked)
{
	struct fp_outfile *o;
	struct stat st;
	time_t before = time(NULL);
	char *s;

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "d.bin", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "data", 4), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 1), FP_OK);
	fp_outfile_close(o);
	s = slurp("d.bin", NULL);
	ck_assert_str_eq(s, "data");
	free(s);
	ck_assert_int_eq(fstatat(dirfd_, "d.bin", &st, 0), 0);
	ck_assert_int_ge(st.st_mtime, before - 1); /* left as written */
}
END_TEST

START_TEST(publish_future_mtime_clamped)
{
	/* A Last-Modified from the future (a server clock years ahead, or
	 * "31 Dec 9999") never becomes a file time: it is clamped to now. */
	static const time_t ahead[] = { 3600, 86400 * 365, 253402300799 };
	struct fp_outfile *o;
	struct stat st;
	time_t before, after, mtime;
	size_t i;

	for (i = 0; i < sizeof(ahead) / sizeof(ahead[0]); i++) {
		before = time(NULL);
		mtime = i == 2 ? ahead[i] : before + ahead[i];
		ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "f.txt", 0, NULL),
				 FP_OK);
		ck_assert_int_eq(fp_outfile_write(o, "x", 1), FP_OK);
		ck_assert_int_eq(fp_outfile_publish(o, mtime, 0), FP_OK);
		fp_outfile_close(o);
		after = time(NULL);
		ck_assert_int_eq(fstatat(dirfd_, "f.txt", &st, 0), 0);
		ck_assert_int_ge(st.st_mtime, before);
		ck_assert_int_le(st.st_mtime, after);
	}
	/* A time in the past is kept exactly (write_publish checks 1994). */
	before = time(NULL) - 10;
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "p.txt", 0, NULL), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, before, 0), FP_OK);
	fp_outfile_close(o);
	ck_assert_int_eq(fstatat(dirfd_, "p.txt", &st, 0), 0);
	ck_assert_int_eq(st.st_mtime, before);
}
END_TEST

START_TEST(publish_replaces_existing)
{
	struct fp_outfile *o;
	char *s;

	spit("r.txt", "old contents that are longer");
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "r.txt", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "new", 3), FP_OK);
	/* Until publish, NAME is the old whole file. */
	s = slurp("r.txt", NULL);
	ck_assert_str_eq(s, "old contents that are longer");
	free(s);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 1), FP_OK);
	fp_outfile_close(o);
	s = slurp("r.txt", NULL);
	ck_assert_str_eq(s, "new");
	free(s);
}
END_TEST

START_TEST(close_keeps_part_and_resume_appends)
{
	struct fp_outfile *o;
	int64_t existing = -1, psize = -1;
	char *s;

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "b.txt", 1, &existing),
			 FP_OK);
	ck_assert_int_eq(existing, 0);
	ck_assert_int_eq(fp_outfile_write(o, "abc", 3), FP_OK);
	fp_outfile_close(o); /* buffered bytes are flushed, not lost */
	ck_assert(!exists("b.txt"));
	s = slurp("b.txt.part", NULL);
	ck_assert_str_eq(s, "abc");
	free(s);
	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "b.txt", &psize),
			 FP_OK);
	ck_assert_int_eq(psize, 3);

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "b.txt", 1, &existing),
			 FP_OK);
	ck_assert_int_eq(existing, 3);
	ck_assert_int_eq(fp_outfile_size(o), 3);
	ck_assert_int_eq(fp_outfile_write(o, "def", 3), FP_OK);
	ck_assert_int_eq(fp_outfile_size(o), 6);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 0), FP_OK);
	fp_outfile_close(o);
	s = slurp("b.txt", NULL);
	ck_assert_str_eq(s, "abcdef");
	free(s);
	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "b.txt", &psize),
			 FP_ENOENT);
	ck_assert_int_eq(psize, 0);
}
END_TEST

START_TEST(no_resume_truncates)
{
	struct fp_outfile *o;
	int64_t existing = -1;
	char *s;

	spit("c.txt.part", "stale bytes");
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "c.txt", 0, &existing),
			 FP_OK);
	ck_assert_int_eq(existing, 0);
	ck_assert_int_eq(fp_outfile_size(o), 0);
	ck_assert_int_eq(fp_outfile_write(o, "fresh", 5), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 0), FP_OK);
	fp_outfile_close(o);
	s = slurp("c.txt", NULL);
	ck_assert_str_eq(s, "fresh");
	free(s);
}
END_TEST

START_TEST(restart_discards)
{
	struct fp_outfile *o;
	int64_t existing;
	char big[FP_OUTFILE_BUFSIZE + 17];
	char *s;

	spit("e.txt.part", "partial-");
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "e.txt", 1, &existing),
			 FP_OK);
	ck_assert_int_eq(existing, 8);
	memset(big, 'z', sizeof(big)); /* forces a flush to disk */
	ck_assert_int_eq(fp_outfile_write(o, big, sizeof(big)), FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "tail", 4), FP_OK);
	ck_assert_int_eq(fp_outfile_restart(o), FP_OK);
	ck_assert_int_eq(fp_outfile_size(o), 0);
	ck_assert_int_eq(fp_outfile_write(o, "whole body", 10), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 0), FP_OK);
	fp_outfile_close(o);
	s = slurp("e.txt", NULL);
	ck_assert_str_eq(s, "whole body");
	free(s);
}
END_TEST

START_TEST(discard_removes_part)
{
	struct fp_outfile *o;

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "f.txt", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "bad body", 8), FP_OK);
	ck_assert_int_eq(fp_outfile_discard(o), FP_OK);
	ck_assert(!exists("f.txt.part"));
	ck_assert(!exists("f.txt"));
	ck_assert_int_eq(fp_outfile_discard(NULL), FP_OK);
	fp_outfile_close(NULL);
}
END_TEST

START_TEST(bad_names)
{
	static const char *const bad[] = {"", ".", "..", "a/../b",
					  "/etc/passwd", "../x", "dir/",
					  "a//b", "a/./b", "a/.."};
	struct fp_outfile *o = (struct fp_outfile *)&o;
	int64_t size;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(fp_outfile_open(&o, dirfd_, bad[i], 0, NULL),
				 FP_EINVAL);
		ck_assert_ptr_null(o);
		ck_assert_int_eq(fp_outfile_stat_final(dirfd_, bad[i], NULL,
						       NULL),
				 FP_EINVAL);
		ck_assert_int_eq(fp_outfile_part_size(dirfd_, bad[i], &size),
				 FP_EINVAL);
	}
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, NULL, 0, NULL),
			 FP_EINVAL);
}
END_TEST

/* "SUB/NAME": the folders are made on open and the file published in
 * the innermost; every helper finds it there. */
START_TEST(subfolder_made_and_used)
{
	struct fp_outfile *o;
	int64_t size = -1;
	struct stat st;
	size_t len;
	char *got;

	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "a/b/f.txt", &size),
			 FP_ENOENT);
	ck_assert_int_eq(fp_outfile_stat_final(dirfd_, "a/b/f.txt", NULL,
					       NULL),
			 FP_ENOENT);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "a/b/f.txt", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fstatat(dirfd_, "a/b", &st, AT_SYMLINK_NOFOLLOW), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(fp_outfile_write(o, "abc", 3), FP_OK);
	fp_outfile_close(o);
	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "a/b/f.txt", &size),
			 FP_OK);
	ck_assert_int_eq(size, 3);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "a/b/f.txt", 1, &size),
			 FP_OK);
	ck_assert_int_eq(size, 3);
	ck_assert_int_eq(fp_outfile_write(o, "de", 2), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 1), FP_OK);
	fp_outfile_close(o);
	got = slurp("a/b/f.txt", &len);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, "abcde");
	free(got);
	ck_assert(!exists("a/b/f.txt.part"));
	ck_assert_int_eq(fp_outfile_stat_final(dirfd_, "a/b/f.txt", &size,
					       NULL),
			 FP_OK);
	ck_assert_int_eq(size, 5);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "a/g.txt", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_outfile_discard(o), FP_OK);
	ck_assert(!exists("a/g.txt.part"));
}
END_TEST

/* A symlink or a file where a folder should be: never followed, never
 * replaced. */
START_TEST(symlink_at_subfolder_refused)
{
	char outside[96], path[160];
	struct fp_outfile *o;
	int64_t size;

	snprintf(outside, sizeof(outside), "%s-outside", tmpdir);
	ck_assert_int_eq(mkdir(outside, 0700), 0);
	ck_assert_int_eq(symlinkat(outside, dirfd_, "esc"), 0);
	ck_assert_int_eq(mkdirat(dirfd_, "real", 0755), 0);
	ck_assert_int_eq(symlinkat(outside, dirfd_, "real/esc"), 0);
	spit("plain", "x");

	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "esc/f", 0, NULL),
			 FP_EIO);
	ck_assert(errno == ELOOP || errno == ENOTDIR);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "real/esc/in/f", 0,
					 NULL),
			 FP_EIO);
	ck_assert(errno == ELOOP || errno == ENOTDIR);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "plain/f", 0, NULL),
			 FP_EIO);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(fp_outfile_stat_final(dirfd_, "esc/f", NULL, NULL),
			 FP_EIO);
	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "esc/f", &size),
			 FP_EIO);
	snprintf(path, sizeof(path), "%s/f.part", outside);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/in", outside);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(rmdir(outside), 0);
}
END_TEST

START_TEST(symlink_at_part_refused)
{
	struct fp_outfile *o;
	char *s;

	spit("victim", "precious");
	ck_assert_int_eq(symlinkat("victim", dirfd_, "g.txt.part"), 0);
	errno = 0;
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "g.txt", 0, NULL),
			 FP_EIO);
	ck_assert(errno == ELOOP || errno == ENOTDIR);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "g.txt", 1, NULL),
			 FP_EIO);
	/* A dangling link must not create its target either. */
	ck_assert_int_eq(symlinkat("nowhere", dirfd_, "h.txt.part"), 0);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "h.txt", 0, NULL),
			 FP_EIO);
	ck_assert(!exists("nowhere"));
	s = slurp("victim", NULL);
	ck_assert_str_eq(s, "precious");
	free(s);
	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "g.txt", &(int64_t){0}),
			 FP_EINVAL);
}
END_TEST

START_TEST(symlink_at_name_replaced)
{
	struct fp_outfile *o;
	struct stat st;
	char *s;

	spit("victim", "precious");
	ck_assert_int_eq(symlinkat("victim", dirfd_, "i.txt"), 0);
	ck_assert_int_eq(fp_outfile_stat_final(dirfd_, "i.txt", NULL, NULL),
			 FP_EINVAL);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "i.txt", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "download", 8), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, 1000000000, 1), FP_OK);
	fp_outfile_close(o);
	/* The link itself was replaced by a regular file... */
	ck_assert_int_eq(fstatat(dirfd_, "i.txt", &st, AT_SYMLINK_NOFOLLOW),
			 0);
	ck_assert(S_ISREG(st.st_mode));
	s = slurp("i.txt", NULL);
	ck_assert_str_eq(s, "download");
	free(s);
	/* ...and its target was neither written nor re-timed. */
	s = slurp("victim", NULL);
	ck_assert_str_eq(s, "precious");
	free(s);
	ck_assert_int_eq(fstatat(dirfd_, "victim", &st, 0), 0);
	ck_assert_int_ne(st.st_mtime, 1000000000);
}
END_TEST

START_TEST(fifo_and_dir_at_part)
{
	struct fp_outfile *o;

	/* A FIFO with no reader would block a plain open() forever. */
	ck_assert_int_eq(mkfifoat(dirfd_, "j.txt.part", 0644), 0);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "j.txt", 1, NULL),
			 FP_EIO);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(mkdirat(dirfd_, "k.txt.part", 0755), 0);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "k.txt", 0, NULL),
			 FP_EIO);
	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "k.txt", &(int64_t){0}),
			 FP_EINVAL);
}
END_TEST

START_TEST(publish_onto_directory_fails_cleanly)
{
	struct fp_outfile *o;
	char *s;

	ck_assert_int_eq(mkdirat(dirfd_, "l.txt", 0755), 0);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "l.txt", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "body", 4), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 0), FP_EIO);
	ck_assert_ptr_nonnull(fp_outfile_error(o));
	ck_assert_ptr_nonnull(strstr(fp_outfile_error(o), "rename"));
	ck_assert_int_eq(fp_outfile_errno(o), EISDIR);
	fp_outfile_close(o);
	s = slurp("l.txt.part", NULL);
	ck_assert_str_eq(s, "body");
	free(s);
	ck_assert_int_eq(fp_outfile_stat_final(dirfd_, "l.txt", NULL, NULL),
			 FP_EINVAL);
}
END_TEST

START_TEST(stat_final_missing)
{
	int64_t size = 5;

	ck_assert_int_eq(fp_outfile_stat_final(dirfd_, "none", &size, NULL),
			 FP_ENOENT);
	ck_assert_int_eq(fp_outfile_part_size(dirfd_, "none", &size),
			 FP_ENOENT);
	ck_assert_int_eq(size, 0);
}
END_TEST

/* Deterministic bytes so that any misplaced chunk shows. */
static unsigned char pattern_byte(size_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

START_TEST(large_odd_chunks)
{
	const size_t total = 24u * 1024 * 1024 + 12345;
	unsigned char *src = malloc(total);
	struct fp_outfile *o;
	size_t i, off = 0, len;
	uint64_t x = 88172645463325252u;
	char *s;

	ck_assert_ptr_nonnull(src);
	for (i = 0; i < total; i++)
		src[i] = pattern_byte(i);
	ck_assert_int_eq(fp_outfile_open(&o, dirfd_, "big.bin", 0, NULL),
			 FP_OK);
	/* Chunk sizes from 1 byte to 3 buffers, crossing every boundary. */
	while (off < total) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		len = (size_t)(x % (3 * FP_OUTFILE_BUFSIZE)) + 1;
		if (x % 4 == 0)
			len = (size_t)(x % 64) + 1;
		if (len > total - off)
			len = total - off;
		ck_assert_int_eq(fp_outfile_write(o, src + off, len), FP_OK);
		off += len;
		ck_assert_int_eq(fp_outfile_size(o), (int64_t)off);
	}
	ck_assert_int_eq(fp_outfile_publish(o, -1, 0), FP_OK);
	fp_outfile_close(o);
	s = slurp("big.bin", &len);
	ck_assert_uint_eq(len, total);
	ck_assert(memcmp(s, src, total) == 0);
	free(s);
	free(src);
}
END_TEST

/* Child side of the EFBIG test. Returns 0 when every check holds, else
 * the number of the failed check (exit status). */
static int efbig_child(void)
{
	const rlim_t limit = 300000;
	struct rlimit rl = {limit, limit};
	struct fp_outfile *o;
	unsigned char chunk[10000];
	size_t i, sent = 0;
	int64_t psize;
	int rc = FP_OK;
	char *s;
	size_t len;

	/* Without this the kernel kills us with SIGXFSZ instead of
	 * returning EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
		return 1;
	if (fp_outfile_open(&o, dirfd_, "m.txt", 0, NULL) != FP_OK)
		return 2;
	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (unsigned char)i;
	while (sent < 2 * limit) {
		rc = fp_outfile_write(o, chunk, sizeof(chunk));
		if (rc != FP_OK)
			break;
		sent += sizeof(chunk);
	}
	if (rc == FP_OK)
		rc = fp_outfile_publish(o, -1, 0);
	if (rc != FP_EIO)
		return 3;
	if (fp_outfile_errno(o) != EFBIG)
		return 4;
	if (!fp_outfile_error(o) ||
	    !strstr(fp_outfile_error(o), strerror(EFBIG)) ||
	    !strstr(fp_outfile_error(o), "m.txt.part"))
		return 5;
	/* What reached the disk is a prefix, and the size says so. */
	if (fp_outfile_size(o) != (int64_t)limit)
		return 6;
	/* Sticky: nothing is published after a failed write. */
	if (fp_outfile_write(o, "x", 1) != FP_EIO)
		return 7;
	if (fp_outfile_publish(o, -1, 0) != FP_EIO)
		return 8;
	fp_outfile_close(o);
	if (exists("m.txt"))
		return 9;
	if (fp_outfile_part_size(dirfd_, "m.txt", &psize) != FP_OK ||
	    psize != (int64_t)limit)
		return 10;
	s = slurp("m.txt.part", &len);
	if (!s || len != limit)
		return 11;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] != chunk[i % sizeof(chunk)])
			return 12;
	free(s);

	/* A restart clears the error; a body under the limit publishes. */
	if (fp_outfile_open(&o, dirfd_, "m.txt", 1, NULL) != FP_OK)
		return 13;
	if (fp_outfile_write(o, "x", 1) != FP_EIO) /* at the limit */
		if (fp_outfile_publish(o, -1, 0) != FP_EIO)
			return 14;
	if (fp_outfile_restart(o) != FP_OK)
		return 15;
	if (fp_outfile_error(o) == NULL) /* the old text stays readable */
		return 16;
	if (fp_outfile_write(o, "small", 5) != FP_OK ||
	    fp_outfile_publish(o, -1, 0) != FP_OK)
		return 17;
	fp_outfile_close(o);
	s = slurp("m.txt", &len);
	if (!s || len != 5 || memcmp(s, "small", 5) != 0)
		return 18;
	free(s);
	return 0;
}

START_TEST(write_error_efbig)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(efbig_child());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died of signal %d",
		      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ck_assert_msg(WEXITSTATUS(status) == 0, "child check %d failed",
		      WEXITSTATUS(status));
}
END_TEST

START_TEST(works_with_at_fdcwd)
{
	struct fp_outfile *o;
	char *s;
	char cwd[4096];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(fp_outfile_open(&o, AT_FDCWD, "cwd.txt", 0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_outfile_write(o, "here", 4), FP_OK);
	ck_assert_int_eq(fp_outfile_publish(o, -1, 1), FP_OK);
	fp_outfile_close(o);
	ck_assert_int_eq(chdir(cwd), 0);
	s = slurp("cwd.txt", NULL);
	ck_assert_str_eq(s, "here");
	free(s);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("outfile");
	TCase *tc = unit_tcase("outfile");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, write_publish);
	tcase_add_test(tc, publish_durable_keeps_mtime_when_asked);
	tcase_add_test(tc, publish_future_mtime_clamped);
	tcase_add_test(tc, publish_replaces_existing);
	tcase_add_test(tc, close_keeps_part_and_resume_appends);
	tcase_add_test(tc, no_resume_truncates);
	tcase_add_test(tc, restart_discards);
	tcase_add_test(tc, discard_removes_part);
	tcase_add_test(tc, bad_names);
	tcase_add_test(tc, subfolder_made_and_used);
	tcase_add_test(tc, symlink_at_subfolder_refused);
	tcase_add_test(tc, symlink_at_part_refused);
	tcase_add_test(tc, symlink_at_name_replaced);
	tcase_add_test(tc, fifo_and_dir_at_part);
	tcase_add_test(tc, publish_onto_directory_fails_cleanly);
	tcase_add_test(tc, stat_final_missing);
	tcase_add_test(tc, large_odd_chunks);
	tcase_add_test(tc, write_error_efbig);
	tcase_add_test(tc, works_with_at_fdcwd);
	suite_add_tcase(s, tc);
	return s;
}
