/* t05rawserver: a tiny HTTP server that answers canned raw bytes, for the
 * hostile-reply tests (t05*.sh): header lines over 100 KB, invalid
 * Content-Length, bad dates, control characters in headers -- replies the
 * fixture server is careful never to produce.
 *
 *     t05rawserver --dir DIR --port-file FILE [--log FILE]
 *
 * Listens on 127.0.0.1 (port chosen by the OS, written to FILE.tmp and
 * renamed to FILE). One connection at a time: reads the request head (up
 * to 64 KB, 10 s), takes the last segment NAME of the request path (query
 * dropped), and sends DIR/NAME.K.http for the K-th request of NAME if that
 * file exists, else DIR/NAME.http, byte for byte, then closes the
 * connection. Unknown names get a 404. Each request appends "NAME K" to
 * the log. Runs until SIGTERM or SIGINT, then exits 0.
 *
 *     t05rawserver --reset --port-file FILE [--log FILE]
 *
 * Reads what the client sends first (a request, a TLS ClientHello; up to
 * 10 s), then resets the connection (SO_LINGER 0: an RST, not a FIN) and
 * logs "reset K" for the K-th connection.
 *
 *     t05rawserver --blackhole --port-file FILE
 *
 * Listens with a backlog of 0 and never accepts; before publishing its
 * port it fills the accept queue with its own connections, so that the
 * kernel drops every later SYN: a client's connect() hangs until its own
 * timeout, on loopback, without any firewall rule. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define RAW_HEAD_MAX 65536
#define RAW_NAMES 64

static volatile sig_atomic_t raw_stop;

static struct {
	char name[128];
	unsigned count;
} raw_seen[RAW_NAMES];

static void raw_on_signal(int sig)
{
	(void)sig;
	raw_stop = 1;
}

/* The K-th request (1-based) for name. */
static unsigned raw_count(const char *name)
{
	int i;

	for (i = 0; i < RAW_NAMES && raw_seen[i].name[0]; i++)
		if (strcmp(raw_seen[i].name, name) == 0)
			return ++raw_seen[i].count;
	if (i == RAW_NAMES)
		return 1;
	snprintf(raw_seen[i].name, sizeof(raw_seen[i].name), "%s", name);
	raw_seen[i].count = 1;
	return 1;
}

static int raw_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read the request head; returns its length or -1. */
static ssize_t raw_read_head(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len < size - 1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&pfd, 1, 10000) <= 0)
			return -1;
		r = read(fd, buf + len, size - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return (ssize_t)len;
	}
	return -1;
}

/* NAME from "GET /a/b/NAME?q HTTP/1.1": letters, digits, '.', '-', '_'
 * only (anything else gives ""), so it cannot leave DIR. */
static void raw_name(const char *head, char *name, size_t size)
{
	const char *p = strchr(head, ' '), *end, *seg;
	size_t n, i;

	name[0] = '\0';
	if (!p)
		return;
	p++;
	end = p + strcspn(p, " ?#\r\n");
	seg = end;
	while (seg > p && seg[-1] != '/')
		seg--;
	n = (size_t)(end - seg);
	if (n == 0 || n >= size)
		return;
	for (i = 0; i < n; i++) {
		char c = seg[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '_'))
			return;
	}
	if (seg[0] == '.')
		return;
	memcpy(name, seg, n);
	name[n] = '\0';
}

static void raw_serve(int fd, const char *dir, FILE *log)
{
	static const char notfound[] =
		"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
		"Connection: close\r\n\r\n";
	char head[RAW_HEAD_MAX], name[128], path[4096], buf[65536];
	unsigned k;
	int file;

	if (raw_read_head(fd, head, sizeof(head)) < 0)
		return;
	raw_name(head, name, sizeof(name));
	if (!name[0]) {
		raw_write_all(fd, notfound, sizeof(notfound) - 1);
		return;
	}
	k = raw_count(name);
	if (log) {
		fprintf(log, "%s %u\n", name, k);
		fflush(log);
	}
	snprintf(path, sizeof(path), "%s/%s.%u.http", dir, name, k);
	file = open(path, O_RDONLY);
	if (file < 0) {
		snprintf(path, sizeof(path), "%s/%s.http", dir, name);
		file = open(path, O_RDONLY);
	}
	if (file < 0) {
		raw_write_all(fd, notfound, sizeof(notfound) - 1);
		return;
	}
	for (;;) {
		ssize_t r = read(file, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || raw_write_all(fd, buf, (size_t)r) < 0)
			break;
	}
	close(file);
}

static void raw_reset(int fd, FILE *log)
{
	static unsigned k;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct linger lg = { 1, 0 };
	char buf[4096];

	if (poll(&pfd, 1, 10000) > 0)
		(void)read(fd, buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (log) {
		fprintf(log, "reset %u\n", ++k);
		fflush(log);
	}
}

/* Fill the accept queue of listening socket ls (backlog 0) with
 * connections nobody accepts. Returns how many are held, -1 on error. */
static int raw_fill_backlog(int ls, const struct sockaddr_in *addr,
			    int *held, int max)
{
	int n = 0, i;

	for (i = 0; i < max; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		struct pollfd pfd;

		if (c < 0)
			return -1;
		held[n++] = c;
		if (connect(c, (const struct sockaddr *)addr,
			    sizeof(*addr)) == 0)
			continue;
		if (errno != EINPROGRESS)
			return -1;
		pfd.fd = c;
		pfd.events = POLLOUT;
		/* Not connected within 300 ms: the queue is full and this
		 * SYN was dropped, as every later one will be. */
		if (poll(&pfd, 1, 300) == 0)
			return n;
	}
	(void)ls;
	return -1;
}

static int raw_usage(void)
{
	fprintf(stderr, "usage: t05rawserver --dir DIR --port-file FILE "
			"[--log FILE]\n"
			"       t05rawserver --reset --port-file FILE "
			"[--log FILE]\n"
			"       t05rawserver --blackhole --port-file FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *port_file = NULL, *log_file = NULL;
	struct sockaddr_in addr;
	socklen_t alen = sizeof(addr);
	struct sigaction sa;
	char tmp[4096];
	FILE *pf, *log = NULL;
	int ls, i, one = 1, reset = 0, blackhole = 0;
	int held[16], nheld = 0;

	for (i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--dir") == 0)
			dir = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--port-file") == 0)
			port_file = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--log") == 0)
			log_file = argv[++i];
		else if (strcmp(argv[i], "--reset") == 0)
			reset = 1;
		else if (strcmp(argv[i], "--blackhole") == 0)
			blackhole = 1;
		else
			return raw_usage();
	}
	if ((!dir && !reset && !blackhole) || !port_file)
		return raw_usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = raw_on_signal; /* no SA_RESTART: accept() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		return 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(ls, blackhole ? 0 : 16) < 0 ||
	    getsockname(ls, (struct sockaddr *)&addr, &alen) < 0) {
		perror("t05rawserver");
		return 1;
	}
	if (blackhole) {
		nheld = raw_fill_backlog(ls, &addr, held,
					 (int)(sizeof(held) / sizeof(held[0])));
		if (nheld < 0) {
			fprintf(stderr, "t05rawserver: cannot fill the "
					"accept queue\n");
			return 1;
		}
	}
	if (log_file && !(log = fopen(log_file, "a"))) {
		perror(log_file);
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
	pf = fopen(tmp, "w");
	if (!pf || fprintf(pf, "%u\n", (unsigned)ntohs(addr.sin_port)) < 0 ||
	    fclose(pf) != 0 || rename(tmp, port_file) != 0) {
		perror(port_file);
		return 1;
	}
	/* No pause(): a signal between the test and the call would be
	 * lost. */
	while (!raw_stop && blackhole)
		poll(NULL, 0, 100);
	while (!raw_stop && !blackhole) {
		int fd = accept(ls, NULL, NULL);

		if (fd < 0)
			continue; /* EINTR: check raw_stop */
		if (reset) {
			raw_reset(fd, log);
		} else {
			raw_serve(fd, dir, log);
			shutdown(fd, SHUT_WR);
		}
		close(fd);
	}
	for (i = 0; i < nheld; i++)
		close(held[i]);
	close(ls);
	if (log)
		fclose(log);
	return 0;
}
