/* The output directory lock (doc/DESIGN.md, "Files on disk"):
 * OUTPUT_DIR/.fetchpool.lock, held with flock() for the whole run, keeps
 * two runs from writing the same files. The second run gets FP_EBUSY at
 * once (exit status 3), never waits.
 *
 * flock() locks belong to the open file description, so the kernel drops
 * the lock when the holder exits or crashes: a stale lock file on disk
 * never blocks a later run, and it is deliberately never deleted
 * (deleting it would let two runs lock two different files). The holder
 * writes its process id into the file, for the message of the run that
 * is refused. */
#ifndef FP_DIRLOCK_H
#define FP_DIRLOCK_H

#define FP_DIRLOCK_NAME ".fetchpool.lock"

struct fp_dirlock;

/* Take the lock in the directory dirfd (a directory descriptor or
 * AT_FDCWD; it is only used during this call). The file is created with
 * mode 0644 if missing, opened O_CLOEXEC (a child process does not inherit
 * the lock) and O_NOFOLLOW (a symlink at the name is refused).
 * Returns FP_OK and *out; FP_EBUSY when another open of the lock (another
 * process, or another acquire in this one) holds it; FP_EIO with errno
 * set when the file cannot be opened or locked (ELOOP for a symlink,
 * EINVAL for another non-regular file);
 * FP_ENOMEM. *out is NULL on failure. Thread-safe. */
int fp_dirlock_acquire(int dirfd, struct fp_dirlock **out);

/* Release the lock and free. NULL is fine. Never fails. */
void fp_dirlock_release(struct fp_dirlock *lock);

/* Process id recorded in dirfd's lock file by its holder, or -1 when
 * unknown (no file, empty, unreadable, not a number). Advisory only: for
 * messages such as "locked by process 1234". Never blocks. */
long fp_dirlock_owner(int dirfd);

#endif
