/* SHA-256 via libcrypto EVP. The project uses libcrypto because libcurl's
 * OpenSSL build links it anyway; no hash is implemented here. */
#include "digest.h"
#include "error.h"
#include "hex.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

/* Large enough to keep the syscall count low on a multi-megabyte .part, small
 * enough for a worker thread's stack. */
#define FP_SHA256_FD_CHUNK 16384

int fp_sha256_init(struct fp_sha256 *h)
{
	if (!h)
		return FP_EINVAL;
	fp_sha256_cleanup(h);
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx)
		return FP_ENOMEM;
	if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		fp_sha256_cleanup(h);
		return FP_EIO;
	}
	return FP_OK;
}

int fp_sha256_update(struct fp_sha256 *h, const void *data, size_t len)
{
	if (!h || !h->ctx || (!data && len))
		return FP_EINVAL;
	if (len == 0)
		return FP_OK;
	if (EVP_DigestUpdate(h->ctx, data, len) != 1)
		return FP_EIO;
	return FP_OK;
}

int fp_sha256_final(struct fp_sha256 *h, unsigned char out[FP_SHA256_LEN])
{
	unsigned int n = 0;
	int rc = FP_OK;

	if (!h || !h->ctx || !out)
		return FP_EINVAL;
	if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != FP_SHA256_LEN)
		rc = FP_EIO;
	fp_sha256_cleanup(h);
	return rc;
}

void fp_sha256_cleanup(struct fp_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx); /* accepts NULL */
	h->ctx = NULL;
}

int fp_sha256_fd(int fd, off_t len, struct fp_sha256 *h)
{
	unsigned char chunk[FP_SHA256_FD_CHUNK];
	off_t done = 0;

	if (!h || !h->ctx || len < 0 || fd < 0)
		return FP_EINVAL;
	while (done < len) {
		size_t want = sizeof(chunk);
		ssize_t got;
		int rc;

		if ((off_t)want > len - done)
			want = (size_t)(len - done);
		got = pread(fd, chunk, want, done);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return FP_EIO;
		}
		if (got == 0) /* the file is shorter than the caller believed */
			return FP_EIO;
		rc = fp_sha256_update(h, chunk, (size_t)got);
		if (rc != FP_OK)
			return rc;
		done += got;
	}
	return FP_OK;
}

int fp_sha256_buf(const void *data, size_t len,
		  unsigned char out[FP_SHA256_LEN])
{
	struct fp_sha256 h = { NULL };
	int rc;

	rc = fp_sha256_init(&h);
	if (rc == FP_OK)
		rc = fp_sha256_update(&h, data, len);
	if (rc == FP_OK)
		return fp_sha256_final(&h, out);
	fp_sha256_cleanup(&h);
	return rc;
}

int fp_hex_decode32(const char *hex, unsigned char out[FP_SHA256_LEN])
{
	if (!hex || !out ||
	    strnlen(hex, FP_SHA256_HEX_LEN + 1) != FP_SHA256_HEX_LEN)
		return FP_EINVAL;
	return fp_hex_decode(hex, FP_SHA256_HEX_LEN, out);
}
