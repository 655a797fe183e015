/* File names for downloaded books (doc/DESIGN.md): the name a URL is saved
 * under, the check of a user's out= name, and the table that gives two jobs
 * with the same name distinct final names.
 *
 * Every name this module produces is a single path component inside the
 * output directory: valid UTF-8, 1..FP_NAME_MAX bytes, no '/', no '\', no
 * control characters (C0, DEL, C1) and no Unicode direction overrides, not
 * "." or "..", not hidden (no leading '.'; so never .fetchpool.lock or
 * .fetchpool.state), and never ending in ".part" (reserved for partial
 * downloads: such a name gets a '_' appended, "x.part" -> "x.part_"). */
#ifndef FP_NAMES_H
#define FP_NAMES_H
#include <stddef.h>

/* Longest name in bytes (not counting the NUL). */
#define FP_NAME_MAX 200

/* Used for a URL whose last path segment is empty ("https://host/"). */
#define FP_NAME_INDEX "index.html"

/* The name for a URL: the last segment of its path as written (never where
 * redirects lead), query and fragment ignored, percent-decoded, then made
 * safe: each control character, '/', '\' (also decoded from %2F, %5C, %00),
 * direction override and byte of invalid UTF-8 becomes '_'; a leading '.'
 * becomes '_' (so "." -> "_", ".." -> "_.", ".bashrc" -> "_bashrc"); an empty
 * segment becomes FP_NAME_INDEX; a name over FP_NAME_MAX bytes is cut at a
 * UTF-8 character boundary, keeping an extension of up to 16 bytes
 * ("long...txt" stays "long….txt"). The URL must have the form
 * "scheme://authority[/path][?query][#fragment]"; it is not otherwise
 * validated (the list-file parser does that).
 * Returns FP_OK and a malloc'd *name (caller frees), FP_EINVAL for NULL
 * arguments or a string without "://", FP_ENOMEM. Pure, thread-safe. */
int fp_name_from_url(const char *url, char **name);

/* Check a user-chosen name (out= in the list file). Returns FP_OK when the
 * name meets every rule in the header comment above (a name ending in
 * ".part" is refused here rather than silently changed), else FP_EINVAL and,
 * if reason is not NULL, *reason = a static English phrase such as
 * "contains '/'" or "starts with '.' (hidden)" that never quotes the name.
 * Pure, thread-safe. */
int fp_name_check_out(const char *name, const char **reason);

/* Longest dir= folder in bytes: with a name of FP_NAME_MAX bytes and its
 * ".part" the path stays well below what the fetch layer's buffers hold
 * (512 bytes). */
#define FP_DIR_MAX 255

/* Check a user-chosen folder (dir= in the list file), "SUB" or "SUB/SUB2"
 * below the output directory: relative, at most FP_DIR_MAX bytes, no empty
 * component, each component a name fp_name_check_out() accepts (so never
 * "." or "..", never hidden). Returns FP_OK, or FP_EINVAL and, if reason
 * is not NULL, *reason = a static phrase such as "is an absolute path" or
 * "has a '..' component" that never quotes the folder. Pure,
 * thread-safe. */
int fp_name_check_dir(const char *dir, const char **reason);

/* The collision table: which final names this run has handed out. Names are
 * compared by a 64-bit hash of their bytes, so names that differ only in
 * case ("A.txt", "a.txt") are distinct, as they are on Linux file systems;
 * on a case-insensitive file system they would share a file. Memory: one
 * 8-byte slot (the hash) per claim at a load of at most 3/4, no copy of
 * the name, and a 16-byte record (hash, next suffix) per name that was
 * wanted more than once; two names with equal hashes (p ~ 3e-8 for a
 * million)
 * give the later one a needless ".k", the same on every run. Not
 * thread-safe: one thread
 * (the producer, in file order) claims; that is what makes names stable
 * across reruns. */
struct fp_names;

/* Returns FP_OK and a new empty table in *out, or FP_ENOMEM. */
int fp_names_new(struct fp_names **out);

/* Frees the table and every name it holds. NULL is a no-op. */
void fp_names_free(struct fp_names *names);

/* Claim a final name for name, a plain name or "DIR/NAME" with DIR as
 * fp_name_check_dir() accepts it: DIR is kept as it is, the rules below
 * apply to NAME, and "DIR/NAME" is the name compared (so "a/x" and "x"
 * are distinct). The rule, in claim order:
 * - a name ending in ".part" is first turned into "NAME.part_";
 * - if no earlier claim produced the name (plain or generated), it is the
 *   final name;
 * - otherwise the final name is STEM.k.EXT (EXT = the last extension of up to
 *   16 bytes, including its dot: "pg1.txt" -> "pg1.1.txt"; without one,
 *   "README" -> "README.1") for the smallest k >= 1 whose result no earlier
 *   claim produced. STEM is cut at a character boundary if the result would
 *   exceed FP_NAME_MAX.
 * So a later plain claim of a name that was generated earlier is itself
 * suffixed: claims "pg1.txt", "pg1.txt", "pg1.1.txt" give "pg1.txt",
 * "pg1.1.txt", "pg1.1.1.txt". The same sequence of claims always gives the
 * same names.
 * Returns FP_OK and a malloc'd *final (caller frees), FP_EINVAL when names,
 * name or final is NULL, DIR is refused, or NAME breaks a rule of
 * fp_name_check_out() other than the ".part" one, FP_ENOMEM (the table is
 * then unchanged). */
int fp_names_claim(struct fp_names *names, const char *name, char **final);

/* Number of names claimed so far. */
size_t fp_names_count(const struct fp_names *names);

#endif
