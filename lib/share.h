/* A curl share handle for DNS and TLS sessions, with its locks. Workers
 * share these; each keeps its own connections (libcurl does not support
 * sharing the connection cache between concurrent threads). */
#ifndef FP_SHARE_H
#define FP_SHARE_H

struct fp_share;

/* FP_OK and *out, or FP_ENOMEM. Thread-safe once made. */
int fp_share_create(struct fp_share **out);

/* The CURLSH * to set with CURLOPT_SHARE. */
void *fp_share_handle(struct fp_share *sh);

/* Free; every easy handle using it must be gone. NULL ok. */
void fp_share_destroy(struct fp_share *sh);

#endif
