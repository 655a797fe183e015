/* A scratch directory for one test case, removed whole after it. */
#ifndef FP_TEST_SCRATCH_H
#define FP_TEST_SCRATCH_H
#include <stddef.h>

/* Make /tmp/fp-TAG-XXXXXX into PATH (LEN bytes; the case fails if it
 * cannot) and return a descriptor of it (O_DIRECTORY), or -1 when OPEN is
 * 0. */
int unit_scratch_make(char *path, size_t len, const char *tag, int open);

/* Close FD (unless -1) and remove PATH with everything in it. */
void unit_scratch_remove(const char *path, int fd);

#endif
