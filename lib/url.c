/* URLs (see url.h). libcurl's URL API answers what libcurl will do with
 * a URL; the written form is split by hand in one place only,
 * url_split(), for the two questions about the text itself. */
#include "url.h"
#include "error.h"
#include "hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

static int url_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the RFC 3986 scheme s starts with, up to the ':' that must
 * follow it; 0 when there is none. */
static size_t url_scheme_len(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !url_alpha(s[0]))
		return 0;
	for (i = 1; i < n && s[i] != ':'; i++)
		if (!url_alpha(s[i]) && !(s[i] >= '0' && s[i] <= '9') &&
		    s[i] != '+' && s[i] != '-' && s[i] != '.')
			return 0;
	return i < n ? i : 0;
}

const char *fp_url_scheme(const char *s, size_t n, char *buf, size_t buflen)
{
	size_t len = url_scheme_len(s, n), i;

	if (len == 0)
		return NULL;
	if (len >= buflen) {
		buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < len; i++)
		buf[i] = (char)(url_alpha(s[i]) ? s[i] | 0x20 : s[i]);
	buf[len] = '\0';
	return buf;
}

/* The parts of a URL as written. */
struct url_split {
	const char *auth;     /* authority: after "://" (and, for libcurl's
				 reading, any further '/') ... */
	const char *auth_end; /* ... to the first '/', '?' or '#' */
	const char *path_end; /* the path: auth_end to the first '?' or '#' */
};

/* Split url at its first "://" (NULL: there is none). curl_slashes:
 * skip '/' after "://" as libcurl does when it looks for the userinfo. */
static const char *url_split(const char *url, int curl_slashes,
			     struct url_split *sp)
{
	const char *sep = strstr(url, "://");

	if (!sep)
		return NULL;
	sp->auth = sep + 3;
	if (curl_slashes)
		sp->auth += strspn(sp->auth, "/");
	sp->auth_end = sp->auth + strcspn(sp->auth, "/?#");
	sp->path_end = sp->auth_end + strcspn(sp->auth_end, "?#");
	return sep;
}

const char *fp_url_problem(const char *url, char *why, size_t whylen)
{
	CURLU *u = curl_url();
	CURLUcode uc;
	char *host = NULL;
	const char *ret = NULL, *sep;

	if (!u)
		return "out of memory";
	/* libcurl also takes "http:/h/x" and "http:///h/x" (as browsers do);
	 * file names are taken from the URL as written, so the written form
	 * must already say which part is the host. */
	sep = strchr(url, ':');
	if (!sep || strncmp(sep, "://", 3) != 0) {
		curl_url_cleanup(u);
		return "invalid URL (expected scheme://host/path)";
	}
	if (sep[3] == '\0' || strchr("/?#", sep[3])) {
		curl_url_cleanup(u);
		return "URL has no host";
	}
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
#if LIBCURL_VERSION_NUM >= 0x075000
		snprintf(why, whylen, "invalid URL (%s)",
			 curl_url_strerror(uc));
#else
		snprintf(why, whylen, "invalid URL (libcurl URL error %d)",
			 (int)uc);
#endif
		ret = why;
	} else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
		   !host || !*host) {
		ret = "URL has no host";
	}
	curl_free(host);
	curl_url_cleanup(u);
	return ret;
}

char *fp_url_redact(const char *url)
{
	struct url_split sp;
	const char *sep, *at = NULL, *c;
	size_t head, tail;
	char *out;

	if (!url)
		return NULL;
	/* The "://" must end a well-formed scheme: in a malformed line a late
	 * one ("ftp:/user:pw@host/x://y") says nothing about where the
	 * userinfo is, so any '@' hides the whole text. */
	sep = url_split(url, 1, &sp);
	if (!sep || url_scheme_len(url, strlen(url)) != (size_t)(sep - url))
		return strdup(strchr(url, '@') ? "(redacted)" : url);
	for (c = sp.auth; c < sp.auth_end; c++)
		if (*c == '@')
			at = c;
	if (!at)
		return strdup(url);
	head = (size_t)(sp.auth - url);
	tail = strlen(at + 1);
	out = malloc(head + tail + 1);
	if (!out)
		return NULL;
	memcpy(out, url, head);
	memcpy(out + head, at + 1, tail + 1);
	return out;
}

char *fp_url_host_key(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *key = NULL, *p;
	size_t n;

	if (!u || !url ||
	    curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
		    CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	/* A scheme libcurl does not know has no default port: host alone. */
	if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		port = NULL;
	n = strlen(host) + (port ? 1 + strlen(port) : 0) + 1;
	key = malloc(n);
	if (!key)
		goto out;
	snprintf(key, n, "%s%s%s", host, port ? ":" : "", port ? port : "");
	for (p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p | 0x20);
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return key;
}

int fp_url_last_segment(const char *url, char **seg, size_t *len)
{
	struct url_split sp;
	const char *s, *end;
	size_t n = 0, i;
	char *out;

	if (!url || !seg || !len)
		return FP_EINVAL;
	*seg = NULL;
	*len = 0;
	if (!url_split(url, 0, &sp))
		return FP_EINVAL;
	end = sp.path_end;
	s = end;
	while (s > sp.auth_end && s[-1] != '/')
		s--;
	out = malloc((size_t)(end - s) + 1);
	if (!out)
		return FP_ENOMEM;
	for (i = 0; s + i < end; i++) {
		int hi, lo;

		if (s[i] == '%' && end - (s + i) >= 3 &&
		    (hi = fp_hex_digit((unsigned char)s[i + 1])) >= 0 &&
		    (lo = fp_hex_digit((unsigned char)s[i + 2])) >= 0) {
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[n++] = s[i];
		}
	}
	out[n] = '\0';
	*seg = out;
	*len = n;
	return FP_OK;
}

/* ---- extra request headers ------------------------------------------- */

static int url_tchar(unsigned char c)
{
	return url_alpha((char)c) || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

const char *fp_header_problem(const char *h)
{
	const unsigned char *p = (const unsigned char *)h;
	const char *colon;
	size_t i;

	if (!h || !*h)
		return "header is empty (expected 'Name: value')";
	if (strlen(h) > FP_HEADER_MAX)
		return "header longer than 8192 bytes";
	for (i = 0; p[i]; i++)
		if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return "control character in header (CR, LF and "
			       "others are refused)";
	colon = strchr(h, ':');
	if (!colon)
		return "header has no ':' (expected 'Name: value')";
	if (colon == h)
		return "header has no name (expected 'Name: value')";
	for (p = (const unsigned char *)h; (const char *)p < colon; p++)
		if (!url_tchar(*p))
			return "header name must be letters, digits and "
			       "!#$%&'*+-.^_`|~ only";
	return NULL;
}

static size_t url_header_name_len(const char *h)
{
	const char *colon = strchr(h, ':');

	return colon ? (size_t)(colon - h) : strlen(h);
}

int fp_header_same_name(const char *a, const char *b)
{
	size_t n = url_header_name_len(a);

	return n == url_header_name_len(b) && !strncasecmp(a, b, n);
}

int fp_header_is_secret(const char *h)
{
	static const char *const secret[] = {
		"Authorization:", "Cookie:", "Proxy-Authorization:",
	};
	size_t i;

	if (!h || !strchr(h, ':'))
		return 0;
	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		if (fp_header_same_name(h, secret[i]))
			return 1;
	return 0;
}

char *fp_header_redact(const char *h)
{
	size_t n, i;
	char *out;

	if (!h)
		return NULL;
	n = fp_header_is_secret(h) ? url_header_name_len(h) : strlen(h);
	out = malloc(n + sizeof(": ***"));
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		out[i] = (char)((c < 0x20 || c == 0x7f) ? '?' : c);
	}
	strcpy(out + n, fp_header_is_secret(h) ? ": ***" : "");
	return out;
}
