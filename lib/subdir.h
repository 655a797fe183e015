/* Files in folders below the output directory ("SUB/NAME", the list
 * file's dir=): the shape such a path must have, and the folder its last
 * component lives in, opened one component at a time.
 *
 * No component is ever followed through a symlink: each is opened with
 * O_NOFOLLOW | O_DIRECTORY relative to the one before, so a symlink (or a
 * file) planted where a folder should be makes the open fail (ELOOP,
 * ENOTDIR) instead of leading out of the output directory.
 *
 * Thread safety: no state; safe from any thread. */
#ifndef FP_SUBDIR_H
#define FP_SUBDIR_H

/* Whether path is a usable relative path: not empty, not starting with
 * '/', no empty, "." or ".." component, no trailing '/'. A plain name
 * (no '/') is one. Only the shape: names.h has the full naming rules. */
int fp_subdir_path_ok(const char *path);

/* The folder holding the last component of path, below dirfd (a directory
 * descriptor or AT_FDCWD). Each folder on the way is opened without
 * following symlinks; with create set, a missing one is made first
 * (mkdirat, mode 0755 before umask). Returns the folder's descriptor and
 * *leaf = the last component of path (inside path): dirfd itself when
 * path has no '/', else a new descriptor that fp_subdir_close() closes.
 * Returns -1 (never another negative value: AT_FDCWD is one) with errno
 * set: EINVAL for a path fp_subdir_path_ok() refuses, ENOENT (a folder is
 * missing and create is 0), ELOOP or ENOTDIR (a component is a symlink,
 * which Linux reports either way, or not a folder), or what the system
 * said. */
int fp_subdir_open(int dirfd, const char *path, int create,
		   const char **leaf);

/* Close what fp_subdir_open() returned for dirfd (nothing when it was
 * dirfd itself or -1). Keeps errno. */
void fp_subdir_close(int fd, int dirfd);

#endif
