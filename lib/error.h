/* fetchpool error codes: 0 is success, every failure is negative.
 * One X-macro holds names and messages so they cannot drift apart. */
#ifndef FP_ERROR_H
#define FP_ERROR_H

#define FP_ERRNO_MAP(X)                                               \
	X(OK, 0, "success")                                           \
	X(ENOMEM, -1, "out of memory")                                \
	X(ECLOSED, -2, "closed")                                      \
	X(ECANCELED, -3, "cancelled")                                 \
	X(ENOENT, -4, "no such item")                                 \
	X(EBUSY, -5, "item is running")                               \
	X(EINVAL, -6, "invalid argument")                             \
	X(ETHREAD, -7, "cannot start thread")                         \
	X(ETIMEDOUT, -8, "timed out")                                 \
	X(EPARSE, -9, "malformed input")                              \
	X(ETOOBIG, -10, "too large")                                  \
	X(EIO, -11, "input/output error")                             \
	X(EAPI, -12, "API error")                                     \
	X(EHTTP, -13, "HTTP error")                                   \
	X(ECHECKSUM, -14, "checksum mismatch")                        \
	X(ECHANGED, -15, "changed on the server")

enum fp_err {
#define FP_ERR_ENUM(name, val, msg) FP_##name = (val),
	FP_ERRNO_MAP(FP_ERR_ENUM)
#undef FP_ERR_ENUM
	FP_ERR_LAST = -16 /* never used: one past the last code */
};

/* Message for an fp_err (never NULL, static storage; unknown codes give
 * "unknown error"). Thread-safe. */
const char *fp_strerror(int err);

/* Symbolic name such as "ECLOSED" (static storage, never NULL). */
const char *fp_errname(int err);

#endif
