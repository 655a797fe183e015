/* Validators remembered between runs (doc/DESIGN.md, "Files on disk"):
 * OUTPUT_DIR/.fetchpool.state maps a file name to the ETag and
 * Last-Modified the server last sent for it and to the body size expected
 * when known. A later run uses them for If-None-Match on finished files
 * and If-Range on resumed .part files, so a file changed on the server is
 * fetched whole instead of being spliced onto stale bytes.
 *
 * File format, one record per line, UTF-8 or any bytes:
 *
 *     # fetchpool state 1
 *     NAME<TAB>SIZE<TAB>ETAG<TAB>LAST_MODIFIED
 *
 * SIZE is decimal or empty (unknown); ETAG and LAST_MODIFIED are the header
 * values as received, empty when absent. In every field a backslash, a tab,
 * a newline, any other byte below 0x20, 0x7f and '#' are written as \xHH (the
 * backslash as \\). Lines starting with '#' are comments. Loading is
 * forgiving: a malformed, over-long or binary line is skipped, never
 * fatal, and the last line for a name wins. The file is only ever replaced
 * whole (written to .fetchpool.state.tmp, fsynced, renamed).
 *
 * Several runs may share the directory (the shards of one list, see
 * lib/dirlock.h), each loading the file at its start and saving at its
 * end. A save therefore merges: under an exclusive flock() of
 * .fetchpool.state.lock it reads the file again, lays over it the records
 * this process set or removed since its last save (they win for those
 * names), and renames the result into place. A record another run saved
 * meanwhile is never lost, and every later run sees all of them.
 *
 * Thread safety: every function may be called from any thread at any
 * time; one mutex guards the table. fp_statefile_save() holds it while it
 * writes, so a worker calling set meanwhile waits for the save. */
#ifndef FP_STATEFILE_H
#define FP_STATEFILE_H

#include <stddef.h>
#include <stdint.h>

#define FP_STATEFILE_NAME ".fetchpool.state"
#define FP_STATEFILE_TMP ".fetchpool.state.tmp"
#define FP_STATEFILE_LOCK ".fetchpool.state.lock"
#define FP_STATEFILE_JOURNAL ".fetchpool.state.journal"

/* Longest validators kept, terminating NUL included. Longer ones are
 * treated as absent: a truncated validator would be a wrong one. */
#define FP_STATE_ETAG_MAX 512
#define FP_STATE_DATE_MAX 64

/* A copy of one record, owned by the caller. Strings are "" when unknown,
 * size is -1 when unknown. */
struct fp_state_rec {
	char etag[FP_STATE_ETAG_MAX];
	char last_modified[FP_STATE_DATE_MAX];
	int64_t size;
};

struct fp_statefile;

/* An empty state bound to the directory dirfd (or AT_FDCWD), which is
 * borrowed and must stay open until fp_statefile_free(). Returns FP_OK and
 * *out, or FP_ENOMEM (*out NULL). */
int fp_statefile_create(int dirfd, struct fp_statefile **out);

/* Read FP_STATEFILE_NAME from the directory and merge its records into s,
 * then replay FP_STATEFILE_JOURNAL over them (see fp_statefile_journal()).
 * A missing file is an empty one (FP_OK). Malformed lines are skipped and
 * counted (fp_statefile_skipped()). Returns FP_OK; FP_EIO with errno set
 * when the file exists but cannot be read (a symlink: ELOOP, a directory,
 * no permission), in which case s keeps what it had and the caller may
 * warn and go on; FP_ENOMEM. Loading does not make s dirty, unless
 * journal records were replayed: the next save folds them into the file.
 * A journal record is not replayed while both NAME and NAME.part exist
 * (it may describe the .part, not NAME): the older record stays. */
int fp_statefile_load(struct fp_statefile *s);

/* From now on, append every change made through s (set, remove) to
 * FP_STATEFILE_JOURNAL in the directory as it is made, so that a run
 * killed before its save loses no validator: one record per line,
 * "NAME<TAB>SIZE<TAB>ETAG<TAB>LAST_MODIFIED<TAB>CHECK" escaped as in the
 * state file, SIZE "-" for a removal, CHECK 8 hex digits over the rest;
 * each written by one write() with O_APPEND under a shared flock() of the
 * journal. A record torn by a crash (no newline, wrong CHECK) is ignored
 * by the load. durable=1 (--fsync) fdatasyncs each record. The journal
 * is created at the first record; fp_statefile_save() folds it (all of
 * it, other runs' records too) into the state file and empties it. A
 * journal that cannot be written only costs its records: the save still
 * has them. Returns FP_OK. */
int fp_statefile_journal(struct fp_statefile *s, int durable);

/* Copy the record for name into *rec. FP_OK, or FP_ENOENT (rec filled as
 * unknown: "" and -1). */
int fp_statefile_get(struct fp_statefile *s, const char *name,
		     struct fp_state_rec *rec);

/* Create or replace the record for name. etag and last_modified may be
 * NULL or "" (absent); a value that is too long (see FP_STATE_*_MAX) or
 * holds a control character is stored as absent, because it will be sent
 * back in a request header. size < 0 means unknown. Returns FP_OK,
 * FP_EINVAL (name NULL, empty, ".", ".." or containing '/'), FP_ENOMEM. */
int fp_statefile_set(struct fp_statefile *s, const char *name,
		     const char *etag, const char *last_modified,
		     int64_t size);

/* Forget name. FP_OK, or FP_ENOENT when it was not there. */
int fp_statefile_remove(struct fp_statefile *s, const char *name);

/* Number of records. */
size_t fp_statefile_count(struct fp_statefile *s);

/* Lines skipped as malformed by the loads so far. */
size_t fp_statefile_skipped(struct fp_statefile *s);

/* Under an exclusive flock() of FP_STATEFILE_LOCK (waiting for another
 * run's save) and an exclusive one of FP_STATEFILE_JOURNAL: read
 * FP_STATEFILE_NAME and the journal again, lay over them every record set
 * or removed through s since its last save, write the result, sorted by
 * name, to FP_STATEFILE_TMP, fsync it, rename it over FP_STATEFILE_NAME
 * and fsync the directory, then empty the journal. A record s touched is
 * not laid over while both NAME and NAME.part exist (see
 * fp_statefile_load()). Records in the file that s did not touch are
 * kept as they are in the file (another run's newer values win over what
 * s loaded). s itself is not refreshed from the file. An unreadable file
 * is replaced by s's records. Does nothing (FP_OK) when nothing changed
 * since the last load or save. Returns FP_OK, FP_ENOMEM, or FP_EIO with
 * errno set (the old state file is then untouched and the temporary file
 * removed); s stays dirty after a failure. */
int fp_statefile_save(struct fp_statefile *s);

/* Free s (does not save). NULL is fine. */
void fp_statefile_free(struct fp_statefile *s);

#endif
