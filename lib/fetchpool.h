/* libfetchpool: the one public header. The CLI includes only this. */
#ifndef FETCHPOOL_H
#define FETCHPOOL_H

#include "error.h"
#include "timeutil.h"

#endif
