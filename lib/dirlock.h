/* The output directory lock (doc/DESIGN.md, "Files on disk"): keeps two
 * runs from writing the same files, while letting the shards of one list
 * (--shard K/N) share a directory. A refused run gets FP_EBUSY at once
 * (exit status 3), never waits for a run.
 *
 * The files, all flock()ed, none ever deleted (deleting one would let two
 * runs lock two different files):
 *
 *   .fetchpool.lock         an unsharded run holds it exclusively; every
 *                           sharded run holds it shared. It records the
 *                           process id of the run that took it first and,
 *                           for shards, their N ("PID\n" or "PID\nN\n").
 *   .fetchpool.lock.K-of-N  shard K of N holds it exclusively: a second
 *                           run of the same shard is refused.
 *   .fetchpool.lock.admit   held exclusively for the few system calls of
 *                           an admission, so that the first shard can
 *                           write N and the others read it without a race.
 *
 * So: an unsharded run excludes every other run and is excluded by any;
 * shards of one N run side by side, each at most once; shards of another
 * N are refused while the first N holds the directory (0/2 and 0/3 would
 * fetch the same files at once). Jobs of different shards never share a
 * file name (doc/DESIGN.md, "Sharding"), so they write disjoint files; the
 * state file they all update is merged on save (lib/statefile.h).
 *
 * flock() locks belong to the open file description, so the kernel drops
 * a lock when its holder exits or crashes: a stale file never blocks a
 * later run. On NFS, flock() is mapped onto the server's byte-range locks
 * (NFSv4, or NFSv3 with lockd), so the scheme holds across clients; a
 * file system without working locks offers no exclusion at all. */
#ifndef FP_DIRLOCK_H
#define FP_DIRLOCK_H

#define FP_DIRLOCK_NAME ".fetchpool.lock"
#define FP_DIRLOCK_ADMIT ".fetchpool.lock.admit"

struct fp_dirlock;

/* Why an acquire was refused (FP_EBUSY). */
struct fp_dirlock_busy {
	char name[64];   /* the lock file that refused: FP_DIRLOCK_NAME or
			  * ".fetchpool.lock.K-of-N" */
	long pid;        /* the process id recorded in it, or -1 */
	unsigned shards; /* the N of the shards holding the directory, when
			  * that is why (a run with another N, or an
			  * unsharded one); 0 otherwise */
};

/* Take the lock of the whole directory dirfd (a directory descriptor or
 * AT_FDCWD; it is only used during this call), for an unsharded run.
 * Same as fp_dirlock_acquire_shard(dirfd, 0, 0, out, NULL). */
int fp_dirlock_acquire(int dirfd, struct fp_dirlock **out);

/* Take the lock for shard k of n (0 <= k < n), or, with n 0, of the whole
 * directory. Files are created with mode 0644 if missing, opened
 * O_CLOEXEC (a child process does not inherit the lock) and O_NOFOLLOW (a
 * symlink at a name is refused). Returns FP_OK and *out; FP_EBUSY when
 * another run (another process, or another acquire in this one) holds
 * what this one needs, then *busy (if not NULL) says which; FP_EIO with
 * errno set when a file cannot be opened or locked (ELOOP for a symlink,
 * EINVAL for another non-regular file); FP_EINVAL for k >= n > 0;
 * FP_ENOMEM. *out is NULL on failure. Waits at most a few seconds, and
 * only for another admission in progress. Thread-safe. */
int fp_dirlock_acquire_shard(int dirfd, unsigned k, unsigned n,
			     struct fp_dirlock **out,
			     struct fp_dirlock_busy *busy);

/* Release the lock and free. NULL is fine. Never fails. */
void fp_dirlock_release(struct fp_dirlock *lock);

/* Process id recorded in dirfd's FP_DIRLOCK_NAME by its holder, or -1 when
 * unknown (no file, empty, unreadable, not a number). Advisory only: for
 * messages such as "locked by process 1234". Never blocks. */
long fp_dirlock_owner(int dirfd);

/* Open (creating, 0644) the lock file NAME in DIRFD, refusing anything
 * but a regular file (a symlink, a FIFO). The descriptor, or -1 with errno
 * set. For other locks kept in the directory (the state file's). */
int fp_dirlock_open_file(int dirfd, const char *name);

#endif
