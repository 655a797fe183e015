/* SHA-256 through libcrypto's EVP interface, plus the decoding of a
 * sha256= digest (hex.h, included here, has the general hex helpers).
 *
 * A struct fp_sha256 is allocated by the caller (on the stack or inside a
 * job); it holds a pointer to libcrypto's context, which fp_sha256_init()
 * creates and fp_sha256_final() / fp_sha256_cleanup() release. One hash
 * state belongs to one thread at a time; different states may be used by
 * different threads at once (libcrypto >= 1.1 needs no locking setup). */
#ifndef FP_DIGEST_H
#define FP_DIGEST_H
#include <stddef.h>
#include <sys/types.h>

#include "hex.h"

#define FP_SHA256_LEN 32
#define FP_SHA256_HEX_LEN 64

/* libcrypto's EVP_MD_CTX, forward-declared so that users of this header do
 * not need the OpenSSL include path. */
struct evp_md_ctx_st;

struct fp_sha256 {
	struct evp_md_ctx_st *ctx; /* NULL when not initialised */
};

/* Start a new hash. Any previous state of h is released first, so init may
 * be called again to restart. Returns FP_OK, FP_ENOMEM, or FP_EIO when
 * libcrypto refuses (for instance a FIPS provider without SHA-256). */
int fp_sha256_init(struct fp_sha256 *h);

/* Feed len bytes. Returns FP_OK, FP_EINVAL when h is not initialised, FP_EIO
 * on a libcrypto failure. len 0 is a no-op (data may then be NULL). */
int fp_sha256_update(struct fp_sha256 *h, const void *data, size_t len);

/* Write the 32-byte digest to out and release the context (h may then be
 * initialised again). Returns FP_OK, FP_EINVAL when h is not initialised,
 * FP_EIO on a libcrypto failure (the context is released in every case). */
int fp_sha256_final(struct fp_sha256 *h, unsigned char out[FP_SHA256_LEN]);

/* Release the context of a hash that will not be finished. Safe on a zeroed,
 * already finished or already cleaned-up struct. */
void fp_sha256_cleanup(struct fp_sha256 *h);

/* Feed the first len bytes of the open file fd into the initialised hash h,
 * the way a resumed download re-hashes its existing NAME.part before it
 * appends. Reads with pread(), so the file offset of fd is not moved and fd
 * may be opened O_APPEND. Returns FP_OK, FP_EINVAL (h not initialised,
 * len < 0), FP_EIO when a read fails or the file is shorter than len (h is
 * then in an unspecified state: restart or clean it up). */
int fp_sha256_fd(int fd, off_t len, struct fp_sha256 *h);

/* One-shot digest of a buffer. Returns as fp_sha256_final(). */
int fp_sha256_buf(const void *data, size_t len,
		  unsigned char out[FP_SHA256_LEN]);

/* Decode exactly 64 hex digits (either case, nothing before or after) into
 * 32 bytes. Returns FP_OK, or FP_EINVAL (out is then left untouched) for a
 * NULL, shorter, longer or non-hex string. */
int fp_hex_decode32(const char *hex, unsigned char out[FP_SHA256_LEN]);

#endif
