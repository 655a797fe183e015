#include "metrics.h"
#include "error.h"
#include "fetch.h"
#include "timeutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The label values of enum fp_job_status, in its order. */
static const char *const metrics_status[FP_JOB_NSTATUS] = {
	"ok", "up_to_date", "failed", "cancelled", "invalid",
};

void fp_metrics_start(struct fp_metrics *m, const char *command)
{
	memset(m, 0, sizeof(*m));
	m->command = command;
	m->started_ms = fp_now_ms();
}

void fp_metrics_add_result(struct fp_metrics *m,
			   const struct fp_fetch_result *res)
{
	m->requests += res->attempts;
	m->retries += res->attempts > 1 ? res->attempts - 1 : 0;
	m->bytes += res->bytes;
}

void fp_metrics_take_jobs(struct fp_metrics *m, struct fp_engine *e)
{
	int st;

	for (st = 0; st < FP_JOB_NSTATUS; st++)
		m->jobs[st] = e ? fp_engine_count_of(e, st) : 0;
}

void fp_metrics_finish(struct fp_metrics *m, int exit_code)
{
	struct timespec ts;

	m->duration_ms = fp_now_ms() - m->started_ms;
	clock_gettime(CLOCK_REALTIME, &ts);
	m->timestamp = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	m->exit_code = exit_code;
}

static void metrics_head(FILE *f, const char *name, const char *type,
			 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

int fp_metrics_print(const struct fp_metrics *m, FILE *f)
{
	const char *c = m->command;
	int st;

	metrics_head(f, "fetchpool_jobs", "gauge",
		     "Jobs of the last run, by final status.");
	for (st = 0; st < FP_JOB_NSTATUS; st++)
		fprintf(f,
			"fetchpool_jobs{command=\"%s\",status=\"%s\"} %llu\n",
			c, metrics_status[st], (unsigned long long)m->jobs[st]);
	metrics_head(f, "fetchpool_bytes_total", "counter",
		     "Body bytes received by the last run.");
	fprintf(f, "fetchpool_bytes_total{command=\"%s\"} %lld\n", c,
		(long long)m->bytes);
	metrics_head(f, "fetchpool_requests_total", "counter",
		     "HTTP requests made by the last run's jobs, retries "
		     "included.");
	fprintf(f, "fetchpool_requests_total{command=\"%s\"} %llu\n", c,
		(unsigned long long)m->requests);
	metrics_head(f, "fetchpool_retries_total", "counter",
		     "Requests of the last run after a job's first attempt.");
	fprintf(f, "fetchpool_retries_total{command=\"%s\"} %llu\n", c,
		(unsigned long long)m->retries);
	metrics_head(f, "fetchpool_run_duration_seconds", "gauge",
		     "How long the last run took.");
	fprintf(f, "fetchpool_run_duration_seconds{command=\"%s\"} %.3f\n", c,
		(double)m->duration_ms / 1000.0);
	metrics_head(f, "fetchpool_last_run_timestamp_seconds", "gauge",
		     "When the last run ended, in seconds since the epoch.");
	fprintf(f, "fetchpool_last_run_timestamp_seconds{command=\"%s\"} "
		   "%.3f\n",
		c, m->timestamp);
	metrics_head(f, "fetchpool_last_run_exit_code", "gauge",
		     "Exit status of the last run (0 all done, 1 a job "
		     "failed, 2 usage, 3 locked, 130/143 signal).");
	fprintf(f, "fetchpool_last_run_exit_code{command=\"%s\"} %d\n", c,
		m->exit_code);
	return ferror(f) ? FP_EIO : FP_OK;
}

int fp_metrics_write(const struct fp_metrics *m, const char *path,
		     int durable)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *tmp = malloc(strlen(path) + 9);
	FILE *f = NULL;
	int fd, err = 0;

	if (!tmp)
		return FP_ENOMEM;
	/* DIR/.NAME.XXXXXX: a unique name, so runs writing one metrics
	 * file at once never share a temporary file. */
	memcpy(tmp, path, dlen);
	sprintf(tmp + dlen, ".%s.XXXXXX", path + dlen);
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = errno;
		free(tmp);
		errno = err;
		return FP_EIO;
	}
	if (fchmod(fd, 0644) < 0)
		err = errno;
	if (!err && !(f = fdopen(fd, "w")))
		err = errno;
	if (!f)
		close(fd);
	if (!err && (fp_metrics_print(m, f) || fflush(f) != 0))
		err = errno ? errno : EIO;
	if (!err && durable && fsync(fileno(f)) < 0)
		err = errno;
	if (f && fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	if (err) {
		errno = err;
		return FP_EIO;
	}
	return FP_OK;
}
