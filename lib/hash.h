/* FNV-1a, 64 bit: the non-cryptographic hash of names and keys (the file
 * name table, the state file's index, --shard). Stable across runs and
 * platforms, which is what those uses need; not for hostile collisions.
 * Pure functions, thread-safe. */
#ifndef FP_HASH_H
#define FP_HASH_H
#include <stddef.h>
#include <stdint.h>

/* The FNV-1a 64 offset basis: the hash of no bytes. */
#define FP_FNV1A64_INIT UINT64_C(14695981039346656037)

/* Continue hash h over len bytes of data. */
uint64_t fp_fnv1a64_update(uint64_t h, const void *data, size_t len);

/* FNV-1a 64 of len bytes: fp_fnv1a64_update(FP_FNV1A64_INIT, ...). */
uint64_t fp_fnv1a64(const void *data, size_t len);

/* FNV-1a 64 of the bytes of a NUL-terminated string. */
uint64_t fp_fnv1a64_str(const char *s);

#endif
