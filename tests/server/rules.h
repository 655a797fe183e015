/* Fault rules: per-path lists of actions, used in turn by successive
 * requests for that path.
 *
 * A rule is installed for an exact request path (no query string) with an
 * ACTIONS string such as "503+ra=2,delay=300,ok,truncate=100". Each request
 * for the path takes the next action; once the list is used up, requests
 * are served normally. One mutex guards the table, so concurrent requests
 * each consume exactly one action, in the order they take it.
 */
#ifndef FSRV_RULES_H
#define FSRV_RULES_H
#include <stddef.h>
#include <stdint.h>

enum fsrv_act_kind {
	FSRV_ACT_OK,       /* serve normally */
	FSRV_ACT_STATUS,   /* answer .status with a short text body */
	FSRV_ACT_DELAY,    /* wait .arg ms, then serve normally */
	FSRV_ACT_RESET,    /* close the connection without a response */
	FSRV_ACT_TRUNCATE, /* full Content-Length, .arg body bytes, close */
	FSRV_ACT_STALL,    /* first 1024 bytes, silence for .arg ms, rest */
	FSRV_ACT_DRIP,     /* body at about .arg bytes per second */
	FSRV_ACT_ENDLESS,  /* 200, chunked, a body that never ends */
	FSRV_ACT_REDIRECT  /* 302 to .url */
};

/* Retry-After forms for FSRV_ACT_STATUS. */
enum fsrv_retry_after {
	FSRV_RA_NONE,
	FSRV_RA_SECONDS, /* Retry-After: .retry_after */
	FSRV_RA_DATE     /* Retry-After: HTTP-date .retry_after s from now */
};

struct fsrv_action {
	enum fsrv_act_kind kind;
	unsigned status;             /* FSRV_ACT_STATUS: 200..599 */
	enum fsrv_retry_after ra;    /* FSRV_ACT_STATUS */
	uint64_t retry_after;        /* seconds, with ra */
	uint64_t arg;                /* ms, bytes or bytes per second */
	char *url;                   /* FSRV_ACT_REDIRECT, owned */
};

/* Parse one action (LEN bytes at S, not necessarily NUL-terminated;
 * surrounding blanks ignored) into *out. A blank may stand for the '+' of
 * "503+ra=5", because form decoding turns '+' into a space. Returns 0, or
 * -1 with a message in err (errlen bytes). *out needs fsrv_action_clear()
 * after success. Thread-safe. */
int fsrv_action_parse(const char *s, size_t len, struct fsrv_action *out,
		      char *err, size_t errlen);

/* Free what an action owns and zero it; safe on a zeroed action. */
void fsrv_action_clear(struct fsrv_action *a);

struct fsrv_rules;

/* A new empty table, or NULL when out of memory. */
struct fsrv_rules *fsrv_rules_new(void);

/* Free the table and every rule; NULL is fine. No request may use it. */
void fsrv_rules_free(struct fsrv_rules *r);

/* Install (or replace) the rule for PATH with the comma-separated ACTIONS.
 * An empty ACTIONS removes the rule. The whole list is parsed first: on a
 * bad action nothing changes. Returns 0, or -1 with a message in err.
 * Thread-safe. */
int fsrv_rules_set(struct fsrv_rules *r, const char *path,
		   const char *actions, char *err, size_t errlen);

/* Install a rule from a command-line spec "PATH ACTIONS" (the path ends at
 * the first blank). Same results as fsrv_rules_set(). */
int fsrv_rules_set_spec(struct fsrv_rules *r, const char *spec, char *err,
			size_t errlen);

/* Consume the next action of the rule for PATH (or, if PATH2 is not NULL
 * and PATH has no rule or a used-up one, of PATH2's). Returns 1 and fills
 * *out (the caller calls fsrv_action_clear()), 0 when no action applies
 * (*out is then FSRV_ACT_OK), -1 when out of memory. Thread-safe. */
int fsrv_rules_take(struct fsrv_rules *r, const char *path,
		    const char *path2, struct fsrv_action *out);

/* Remove every rule. Thread-safe. */
void fsrv_rules_clear(struct fsrv_rules *r);

#endif
