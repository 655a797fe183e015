/* The output file: never a corrupt NAME (doc/DESIGN.md, "Files on disk").
 *
 * A body is written to NAME.part in the output directory and becomes NAME
 * only once it is whole, by one renameat(). A reader (or a crash, or the
 * next run) therefore sees either no NAME, the previous NAME, or the new
 * one complete; never half a file. A failed or interrupted transfer leaves
 * NAME.part holding a valid prefix of the body, which the next run resumes
 * with a Range request.
 *
 * Writes go through a userspace buffer (FP_OUTFILE_BUFSIZE) so that many
 * small callbacks from libcurl cost one write(2) per buffer; the buffer is
 * flushed before restart, publish and close.
 *
 * All paths are resolved relative to a directory descriptor and opened
 * with O_NOFOLLOW, so a symlink planted at NAME.part is refused and a
 * symlink at NAME is replaced, never written through.
 *
 * Thread safety: one struct fp_outfile belongs to one thread at a time;
 * different files may be used from different threads at once. The
 * directory descriptor is only borrowed: it must stay open while the
 * object lives. */
#ifndef FP_OUTFILE_H
#define FP_OUTFILE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define FP_OUTFILE_SUFFIX ".part"
#define FP_OUTFILE_BUFSIZE (128 * 1024)

struct fp_outfile;

/* Open or create NAME.part inside dirfd (a directory descriptor or
 * AT_FDCWD) for writing, mode 0644 before umask. NAME may be "SUB/NAME"
 * (lib/subdir.h): the folders are made when missing and never followed
 * through a symlink; every function here takes such names. resume=1
 * keeps the bytes already there and appends after them, reporting their
 * count in *existing (may be NULL); resume=0 truncates the file to 0 and
 * reports 0.
 *
 * Returns FP_OK and sets *out, which the caller frees with
 * fp_outfile_close() or consumes with fp_outfile_discard(). On failure
 * *out is NULL and the result is:
 *   FP_EINVAL  name is NULL or fp_subdir_path_ok() refuses it;
 *   FP_EIO     the system refused; errno is set: ELOOP when NAME.part or
 *              a folder on its way is a symlink (ENOTDIR: not a
 *              folder), EINVAL when NAME.part is another non-regular
 *              file (a FIFO is never blocked on), or what openat() said;
 *   FP_ENOMEM. */
int fp_outfile_open(struct fp_outfile **out, int dirfd, const char *name,
		    int resume, int64_t *existing);

/* Append len bytes (all of them, or fail). Returns FP_OK, or FP_EIO with
 * the reason kept for fp_outfile_error()/fp_outfile_errno() (ENOSPC, EIO,
 * EFBIG, ...). The failure is sticky: later writes and publish fail too,
 * until fp_outfile_restart() succeeds. NAME.part then holds a prefix of
 * what was written (possibly all of the buffer that could be flushed), and
 * fp_outfile_size() counts only those bytes, so a resume starts right. */
int fp_outfile_write(struct fp_outfile *o, const void *buf, size_t len);

/* Discard everything: drop the buffer and truncate NAME.part to 0 (the
 * server ignored our Range and sent the whole body with 200). Clears a
 * sticky write error. Returns FP_OK or FP_EIO (reason kept). */
int fp_outfile_restart(struct fp_outfile *o);

/* Bytes in the file so far, buffered ones included. */
int64_t fp_outfile_size(const struct fp_outfile *o);

/* Bytes NAME.part held before an open with resume=0 truncated them. */
int64_t fp_outfile_dropped(const struct fp_outfile *o);

/* For a body written out of order (ranged parts): make the file LEN bytes
 * long (the gaps read as zeros until written) and count it as written.
 * Drops the buffer; clears a sticky error. FP_OK, FP_EINVAL, or FP_EIO
 * (reason kept). */
int fp_outfile_set_length(struct fp_outfile *o, int64_t len);

/* Write LEN bytes at offset OFF, unbuffered, leaving the object as it is:
 * safe from several threads at once on distinct ranges, after
 * fp_outfile_set_length() and before publish or close. FP_OK, or FP_EIO
 * with errno set (ENOSPC for a write that made no progress). */
int fp_outfile_pwrite(struct fp_outfile *o, const void *buf, size_t len,
		      int64_t off);

/* The body is whole: flush, set the modification time (and access time) to
 * mtime unless it is -1 (a time in the future is clamped to now), with
 * durable=1 fsync the file, rename NAME.part to
 * NAME (replacing any file or symlink there, never following it), and with
 * durable=1 fsync the directory so the rename survives power loss. Returns
 * FP_OK, FP_EINVAL when already published, or FP_EIO (reason kept; NAME
 * is untouched and NAME.part remains unless the failure was after the
 * rename, which only the directory fsync can be). The object must still
 * be freed with fp_outfile_close(). */
int fp_outfile_publish(struct fp_outfile *o, time_t mtime, int durable);

/* Flush what can be flushed, close and free. NAME.part stays on disk for a
 * later resume (unless published). NULL is fine. Never fails. */
void fp_outfile_close(struct fp_outfile *o);

/* Close, free and unlink NAME.part: for a body that must not be resumed
 * (checksum mismatch, a body over --max-size). Returns FP_OK or FP_EIO
 * (errno set) if the unlink failed; the object is freed either way. Must
 * not be called after a successful publish. NULL gives FP_OK. */
int fp_outfile_discard(struct fp_outfile *o);

/* Text of the last failure, for example
 * "cannot write 'pg11.txt.part': No space left on device", or NULL when
 * nothing failed. Valid until the next call on o. */
const char *fp_outfile_error(const struct fp_outfile *o);

/* errno of the last failure, 0 when nothing failed. */
int fp_outfile_errno(const struct fp_outfile *o);

/* Check a finished file NAME in dirfd without following symlinks. Returns
 * FP_OK and sets *size and *mtime (either may be NULL) when it is a regular
 * file; FP_ENOENT when nothing is there; FP_EINVAL when something else is
 * there (a symlink, a directory): not a finished file, and publish will
 * replace a symlink; FP_EIO with errno set on other failures. */
int fp_outfile_stat_final(int dirfd, const char *name, int64_t *size,
			  time_t *mtime);

/* Size of NAME.part in dirfd, not following symlinks. FP_OK and *size;
 * FP_ENOENT (*size = 0) when there is none; FP_EINVAL when NAME.part is
 * not a regular file or name is invalid; FP_EIO with errno set on other
 * failures. */
int fp_outfile_part_size(int dirfd, const char *name, int64_t *size);

#endif
