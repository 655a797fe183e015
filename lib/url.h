/* URLs, and the extra request headers a user gives (-H, header=): the
 * one place that takes them apart and that hides their secrets.
 *
 * URLs: the one place that takes them apart. Two readings are needed:
 * - as libcurl reads them (libcurl's URL API, CURLU): whether a URL is a
 *   usable http(s) URL, and which host and port a request goes to;
 * - as written: the credentials to hide in messages and the last path
 *   segment a file is named after. These must work on text libcurl
 *   refuses (a malformed list-file line must still have its password
 *   hidden) and must follow the text, not libcurl's normalised form
 *   ("http:///b.txt" names "b.txt"; libcurl reads host "b.txt").
 * Pure functions, thread-safe (libcurl's URL API needs no global init). */
#ifndef FP_URL_H
#define FP_URL_H
#include <stddef.h>

/* The scheme text s (n bytes) starts with, "ALPHA *(ALPHA / DIGIT / '+' /
 * '-' / '.')" followed by ':', lower-cased into buf ("HTTP://x" ->
 * "http"). Returns buf, "" (in buf) when the scheme does not fit buflen
 * (so a message need not echo a long one), or NULL when s starts with no
 * scheme. buflen > 0. */
const char *fp_url_scheme(const char *s, size_t n, char *buf, size_t buflen);

/* Why url is not a usable http(s) URL written "scheme://host...", or NULL
 * when it is: the written form must name its host ("http:/h/x" and
 * "http:///h/x", which libcurl also takes, are refused), then libcurl's
 * parser must accept it and find a host. The scheme is not checked here
 * (see fp_url_scheme()). The reason is a static phrase or, for a libcurl
 * error, written into why (whylen bytes); it never quotes the URL. */
const char *fp_url_problem(const char *url, char *why, size_t whylen);

/* url with any "user[:password]@" of its authority removed, for messages,
 * reports and logs: "https://u:p@host/a?b" -> "https://host/a?b". The
 * authority is looked for after "://" and any further '/' (libcurl reads
 * "ftp:///u:p@h/x" that way), up to the next '/', '?' or '#'; its last '@'
 * ends the userinfo. Text without "://" right after a well-formed scheme
 * is copied unchanged unless it holds an '@', then it becomes
 * "(redacted)". Returns a malloc'd string (caller frees) or NULL (NULL
 * url, no memory). */
char *fp_url_redact(const char *url);

/* The key of the server a request to url goes to, "host:port": the host
 * lower-cased (an IPv6 literal keeps its brackets, "[::1]:80"), the port
 * as written or the scheme's default (80 for http, 443 for https), so
 * "https://U@Example.org/a" and "https://example.org:443/b" share
 * "example.org:443". Returns a malloc'd string (caller frees), or NULL
 * when libcurl cannot parse url or memory is short. */
char *fp_url_host_key(const char *url);

/* The last segment of url's path as written, percent-decoded: the path
 * starts at the first '/', '?' or '#' after "://" and ends at the first
 * '?' or '#'; its last segment follows its last '/' (so "" for
 * "https://h" and "https://h/dir/"). A '%' not followed by two hex digits
 * stays as written; "%00" gives a NUL byte, so the result may hold NULs:
 * *len is its length. Returns FP_OK and a malloc'd *seg (NUL-terminated,
 * caller frees), FP_EINVAL for NULL arguments or text without "://",
 * FP_ENOMEM. */
int fp_url_last_segment(const char *url, char **seg, size_t *len);

/* Extra request headers, "Name: value" (-H, the list key header=). The
 * values of Authorization, Cookie and Proxy-Authorization are secrets:
 * no message, report or log shows them (fp_header_redact()). */

/* Longest header accepted, in bytes. */
#define FP_HEADER_MAX 8192

/* Why H is not a usable request header, or NULL when it is: a name of
 * RFC 9110 token characters, a ':', then a value without control
 * characters (tab allowed; so no CR or LF: nothing can be smuggled into
 * the request). The value may be empty, which, as with curl -H, removes a
 * header libcurl would send. The reason is a static phrase that never
 * quotes H. */
const char *fp_header_problem(const char *h);

/* 1 when the header H names (the text before its ':', any case) carries
 * a secret: Authorization, Cookie, Proxy-Authorization. */
int fp_header_is_secret(const char *h);

/* Whether headers A and B have the same name (any case). */
int fp_header_same_name(const char *a, const char *b);

/* H for messages: "Name: ***" for a secret, else H with every control
 * character replaced by '?'; text without a ':' is shown whole, sanitised
 * the same way. Returns a malloc'd string (caller frees) or NULL (no
 * memory, NULL h). */
char *fp_header_redact(const char *h);

#endif
