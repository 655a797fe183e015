/* Shared by the fuzz targets (tests/fuzz/fuzz_*.c), the replay driver
 * (replay.c, run by `make check`) and libFuzzer (scripts/fuzz).
 *
 * Each target defines LLVMFuzzerTestOneInput() and checks, besides "no
 * crash", the invariants its parser's header promises (a valid job has a
 * source, a file name passes fp_name_check_out(), a parsed title is valid
 * UTF-8, ...). A broken invariant aborts through FUZZ_CHECK(), which both
 * libFuzzer and the replay driver report as a failure. */
#ifndef FP_FUZZ_H
#define FP_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The entry point libFuzzer calls once per input: DATA is SIZE bytes,
 * not NUL-terminated, owned by the caller. Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with the broken invariant's text and place. An abort, not an
 * assert(): it must also fire in builds with NDEBUG. */
#define FUZZ_CHECK(cond)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",  \
				__FILE__, __LINE__, #cond);               \
			abort();                                          \
		}                                                         \
	} while (0)

/* Out of memory inside a target is not a finding: stop the input. */
#define FUZZ_OOM(ptr)                                                     \
	do {                                                              \
		if (!(ptr)) {                                             \
			fprintf(stderr, "%s:%d: out of memory\n",         \
				__FILE__, __LINE__);                      \
			abort();                                          \
		}                                                         \
	} while (0)

/* 1 when s[0..len) is valid UTF-8 without C0, DEL or C1 controls (tab
 * allowed when tab_ok). Defined in fuzz_util.c. */
int fuzz_printable_utf8(const char *s, size_t len, int tab_ok);

/* A private scratch directory for the whole run, on tmpfs when there is
 * one, named after TAG; emptied (its files, not folders) and removed at
 * exit. Returns its descriptor; the same one on later calls. */
int fuzz_scratch(const char *tag);

/* Write SIZE bytes of DATA as NAME in DIRFD, created or truncated. */
void fuzz_write_file(int dirfd, const char *name, const uint8_t *data,
		     size_t size);

/* 1 when FUZZ_STRICT is set (and not "0") in the environment. An
 * invariant that a known, not yet fixed finding breaks may be relaxed
 * with "if (!fuzz_strict())", so that fuzzing goes on past it; the
 * finding's reproducer waits in pending/TARGET/ and fails with
 * FUZZ_STRICT=1 (README.md). */
int fuzz_strict(void);

#endif
