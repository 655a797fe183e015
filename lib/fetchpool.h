/* libfetchpool: the one public header. The CLI includes only this. Each
 * module's contract (ownership, errors, thread safety) is written in its
 * own header, included here. */
#ifndef FETCHPOOL_H
#define FETCHPOOL_H

#include "error.h"
#include "init.h"
#include "timeutil.h"

/* Shared building blocks. */
#include "utf8.h"
#include "csv.h"
#include "hex.h"
#include "hash.h"
#include "array.h"
#include "sort.h"
#include "url.h"
#include "xmlsafe.h"

/* The concurrency core. */
#include "cancel.h"
#include "chan.h"
#include "sem.h"
#include "prioq.h"
#include "pool.h"
#include "sched.h"
#include "sigthread.h"

/* Transfers. */
#include "buf.h"
#include "share.h"
#include "xfer.h"
#include "retry.h"
#include "hostgate.h"
#include "slots.h"
#include "fetch.h"
#include "engine.h"

/* Files on disk. */
#include "outfile.h"
#include "subdir.h"
#include "dirlock.h"
#include "statefile.h"
#include "report.h"
#include "digest.h"
#include "metrics.h"
#include "failedlist.h"

/* books */
#include "listfile.h"
#include "names.h"
#include "gutenberg.h"
#include "catalog.h"
#include "strip.h"

/* gdp */
#include "worldbank.h"
#include "stats.h"
#include "gdpout.h"
#include "gdpagg.h"

#endif
