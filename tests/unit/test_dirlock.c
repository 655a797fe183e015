/* Directory lock: exclusive between processes and between opens, released
 * when the holder exits, refuses symlinks, not inherited across exec;
 * shards of one N share the directory, each shard once, and exclude and
 * are excluded by an unsharded run and by shards of another N. */
#include "runner.h"
#include "scratch.h"

#include "dirlock.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
	dirfd_ = unit_scratch_make(tmpdir, sizeof(tmpdir), "dirlock", 1);
}

static void teardown(void)
{
	unit_scratch_remove(tmpdir, dirfd_);
}

START_TEST(exclusive_within_process)
{
	struct fp_dirlock *a, *b = (struct fp_dirlock *)&b;
	struct stat st;

	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &a), FP_OK);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(fstatat(dirfd_, FP_DIRLOCK_NAME, &st,
				 AT_SYMLINK_NOFOLLOW),
			 0);
	ck_assert(S_ISREG(st.st_mode));
	/* flock() locks the open file description: a second open in the
	 * same process is refused too, and at once. */
	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &b), FP_EBUSY);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(fp_dirlock_owner(dirfd_), (long)getpid());
	fp_dirlock_release(a);
	/* The file stays; the lock is free again. */
	ck_assert_int_eq(fstatat(dirfd_, FP_DIRLOCK_NAME, &st, 0), 0);
	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &b), FP_OK);
	fp_dirlock_release(b);
	fp_dirlock_release(NULL);
}
END_TEST

START_TEST(held_by_other_process)
{
	int up[2], down[2];
	struct fp_dirlock *lock;
	char c = 0;
	pid_t pid;
	int status;

	ck_assert_int_eq(pipe(up), 0);
	ck_assert_int_eq(pipe(down), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct fp_dirlock *mine;
		char ok;

		close(up[0]);
		close(down[1]);
		ok = fp_dirlock_acquire(dirfd_, &mine) == FP_OK ? 'L' : 'E';
		if (write(up[1], &ok, 1) != 1)
			_exit(2);
		/* Hold until the parent closes its end, then exit without
		 * releasing: the kernel must drop the lock for us. */
		while (read(down[0], &ok, 1) > 0)
			;
		_exit(0);
	}
	close(up[1]);
	close(down[0]);
	ck_assert_int_eq(read(up[0], &c, 1), 1);
	ck_assert_int_eq(c, 'L');

	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &lock), FP_EBUSY);
	ck_assert_ptr_null(lock);
	ck_assert_int_eq(fp_dirlock_owner(dirfd_), (long)pid);

	close(down[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(up[0]);

	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &lock), FP_OK);
	ck_assert_int_eq(fp_dirlock_owner(dirfd_), (long)getpid());
	fp_dirlock_release(lock);
}
END_TEST

START_TEST(child_sees_parent_lock)
{
	struct fp_dirlock *lock;
	pid_t pid;
	int status;

	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &lock), FP_OK);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct fp_dirlock *other;

		_exit(fp_dirlock_acquire(dirfd_, &other) == FP_EBUSY ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fp_dirlock_release(lock);
}
END_TEST

START_TEST(symlink_refused)
{
	struct fp_dirlock *lock;
	int fd;

	fd = openat(dirfd_, "elsewhere", O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(symlinkat("elsewhere", dirfd_, FP_DIRLOCK_NAME), 0);
	errno = 0;
	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &lock), FP_EIO);
	ck_assert_int_eq(errno, ELOOP);
	ck_assert_ptr_null(lock);
	ck_assert_int_eq(fp_dirlock_owner(dirfd_), -1);
}
END_TEST

START_TEST(non_regular_refused)
{
	struct fp_dirlock *lock;

	ck_assert_int_eq(mkfifoat(dirfd_, FP_DIRLOCK_NAME, 0644), 0);
	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &lock), FP_EIO);
	ck_assert_ptr_null(lock);
}
END_TEST

START_TEST(missing_dir)
{
	struct fp_dirlock *lock;
	int fd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rmdir(tmpdir), 0);
	ck_assert_int_eq(fp_dirlock_acquire(fd, &lock), FP_EIO);
	ck_assert_int_eq(errno, ENOENT);
	close(fd);
	ck_assert_int_eq(mkdir(tmpdir, 0700), 0); /* for the teardown */
}
END_TEST

/* The descriptor holding the lock must be close-on-exec, so a program
 * started by fetchpool cannot keep the directory locked after we exit. */
START_TEST(lock_fd_is_cloexec)
{
	struct fp_dirlock *lock;
	DIR *d;
	struct dirent *e;
	int found = 0;

	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &lock), FP_OK);
	d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char path[300], target[4096];
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strstr(target, "/" FP_DIRLOCK_NAME))
			continue;
		fd = atoi(e->d_name);
		ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		found++;
	}
	closedir(d);
	ck_assert_int_eq(found, 1);
	fp_dirlock_release(lock);
}
END_TEST

START_TEST(owner_garbage)
{
	static const char *const junk[] = {"", "abc", "-5\n", "0\n",
					   "12x\n", "99999999999999999999999"};
	size_t i;

	ck_assert_int_eq(fp_dirlock_owner(dirfd_), -1); /* no file */
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		int fd = openat(dirfd_, FP_DIRLOCK_NAME,
				O_WRONLY | O_CREAT | O_TRUNC, 0644);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, junk[i], strlen(junk[i])),
				 (ssize_t)strlen(junk[i]));
		close(fd);
		ck_assert_msg(fp_dirlock_owner(dirfd_) == -1, "'%s'", junk[i]);
	}
}
END_TEST

static void expect_busy(unsigned k, unsigned n, const char *name,
			unsigned shards)
{
	struct fp_dirlock *l = (struct fp_dirlock *)&l;
	struct fp_dirlock_busy b;

	memset(&b, 0, sizeof(b));
	ck_assert_msg(fp_dirlock_acquire_shard(dirfd_, k, n, &l, &b) ==
			      FP_EBUSY,
		      "%u/%u should be refused", k, n);
	ck_assert_ptr_null(l);
	ck_assert_str_eq(b.name, name);
	ck_assert_int_eq(b.pid, (long)getpid());
	ck_assert_uint_eq(b.shards, shards);
}

START_TEST(shards_share_directory)
{
	struct fp_dirlock *s0, *s1, *s3, *l;
	char *text;
	int fd;
	ssize_t n;
	char buf[64];

	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 0, 4, &s0, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 1, 4, &s1, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 3, 4, &s3, NULL),
			 FP_OK);
	/* The same shard twice: refused by its own file. */
	expect_busy(1, 4, FP_DIRLOCK_NAME ".1-of-4", 0);
	/* An unsharded run, or shards of another N: by the directory's. */
	expect_busy(0, 0, FP_DIRLOCK_NAME, 4);
	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &l), FP_EBUSY);
	expect_busy(0, 3, FP_DIRLOCK_NAME, 4);
	expect_busy(2, 8, FP_DIRLOCK_NAME, 4);
	ck_assert_int_eq(fp_dirlock_owner(dirfd_), (long)getpid());
	fp_dirlock_release(s1);
	/* A shard that ended may run again. */
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 1, 4, &s1, NULL),
			 FP_OK);
	fp_dirlock_release(s0);
	fp_dirlock_release(s1);
	expect_busy(0, 3, FP_DIRLOCK_NAME, 4);
	fp_dirlock_release(s3);
	/* Every shard of 4 is gone: 3 takes over and records its N. */
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 2, 3, &l, NULL),
			 FP_OK);
	fd = openat(dirfd_, FP_DIRLOCK_NAME, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	text = strchr(buf, '\n');
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "\n3\n");
	expect_busy(0, 4, FP_DIRLOCK_NAME, 3);
	fp_dirlock_release(l);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 3, 3, &l, NULL),
			 FP_EINVAL);
	ck_assert_ptr_null(l);
}
END_TEST

START_TEST(unsharded_excludes_shards)
{
	struct fp_dirlock *a, *b;

	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &a), FP_OK);
	expect_busy(0, 2, FP_DIRLOCK_NAME, 0);
	expect_busy(1, 2, FP_DIRLOCK_NAME, 0);
	fp_dirlock_release(a);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 0, 2, &a, NULL),
			 FP_OK);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 1, 2, &b, NULL),
			 FP_OK);
	fp_dirlock_release(a);
	fp_dirlock_release(b);
	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &a), FP_OK);
	fp_dirlock_release(a);
}
END_TEST

/* Between processes: a child holds shard 0/2; the parent may take 1/2
 * but neither 0/2 nor the whole directory; after the child exits, it
 * may take the whole directory. */
START_TEST(shards_across_processes)
{
	int up[2], down[2];
	struct fp_dirlock *l;
	struct fp_dirlock_busy b;
	char c = 0;
	pid_t pid;
	int status;

	ck_assert_int_eq(pipe(up), 0);
	ck_assert_int_eq(pipe(down), 0);
	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct fp_dirlock *mine;

		if (fp_dirlock_acquire_shard(dirfd_, 0, 2, &mine, NULL))
			_exit(1);
		if (write(up[1], "x", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(2);
		fp_dirlock_release(mine);
		_exit(0);
	}
	ck_assert_int_eq(read(up[0], &c, 1), 1);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 1, 2, &l, NULL),
			 FP_OK);
	fp_dirlock_release(l);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 0, 2, &l, &b),
			 FP_EBUSY);
	ck_assert_str_eq(b.name, FP_DIRLOCK_NAME ".0-of-2");
	ck_assert_int_eq(b.pid, (long)pid);
	ck_assert_int_eq(fp_dirlock_acquire_shard(dirfd_, 0, 0, &l, &b),
			 FP_EBUSY);
	ck_assert_str_eq(b.name, FP_DIRLOCK_NAME);
	ck_assert_uint_eq(b.shards, 2);
	ck_assert_int_eq(write(down[1], "x", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(fp_dirlock_acquire(dirfd_, &l), FP_OK);
	fp_dirlock_release(l);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("dirlock");
	TCase *tc = unit_tcase("dirlock");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exclusive_within_process);
	tcase_add_test(tc, held_by_other_process);
	tcase_add_test(tc, child_sees_parent_lock);
	tcase_add_test(tc, symlink_refused);
	tcase_add_test(tc, non_regular_refused);
	tcase_add_test(tc, missing_dir);
	tcase_add_test(tc, lock_fd_is_cloexec);
	tcase_add_test(tc, owner_garbage);
	tcase_add_test(tc, shards_share_directory);
	tcase_add_test(tc, unsharded_excludes_shards);
	tcase_add_test(tc, shards_across_processes);
	suite_add_tcase(s, tc);
	return s;
}
