#include "error.h"

const char *fp_strerror(int err)
{
	switch (err) {
#define FP_ERR_MSG(name, val, msg) \
	case (val):                \
		return (msg);
		FP_ERRNO_MAP(FP_ERR_MSG)
#undef FP_ERR_MSG
	}
	return "unknown error";
}

const char *fp_errname(int err)
{
	switch (err) {
#define FP_ERR_NAME(name, val, msg) \
	case (val):                 \
		return #name;
		FP_ERRNO_MAP(FP_ERR_NAME)
#undef FP_ERR_NAME
	}
	return "EUNKNOWN";
}
