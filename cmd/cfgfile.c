#include "config.h"
#include "cfgfile.h"
#include "commands.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Over this, a config file is a mistake (a log file named by error). */
#define CONFIG_MAX_BYTES (1024 * 1024)

char *fp_config_path(const char *given, int *required)
{
	const char *env = getenv(FP_CONFIG_ENV), *base, *tail;
	char *path;
	size_t len;

	*required = 1;
	if (given)
		return strdup(given);
	if (env && *env)
		return strdup(env);
	*required = 0;
	base = getenv("XDG_CONFIG_HOME");
	tail = "/fetchpool/config";
	/* The XDG spec: an unset, empty or relative value is ignored. */
	if (!base || base[0] != '/') {
		base = getenv("HOME");
		tail = "/.config/fetchpool/config";
		if (!base || !*base)
			return NULL;
	}
	len = strlen(base) + strlen(tail) + 1;
	path = malloc(len);
	if (path)
		snprintf(path, len, "%s%s", base, tail);
	return path;
}

/* Read the whole file into a NUL-terminated buffer. 0, 1 missing (and
 * not required: no error), or -1 with errno set. */
static int config_slurp(const char *path, int required, char **text)
{
	struct stat st;
	FILE *f;
	size_t n;
	char *buf;
	int saved;

	*text = NULL;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT && !required ? 1 : -1;
	if (fstat(fileno(f), &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (st.st_size > CONFIG_MAX_BYTES) {
		errno = EFBIG;
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto fail;
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		free(buf);
		goto fail;
	}
	buf[n] = '\0';
	fclose(f);
	*text = buf;
	return 0;
fail:
	saved = errno;
	fclose(f);
	errno = saved;
	return -1;
}

static char *config_trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

int fp_config_read(const char *path, int required, const char *command,
		   fp_config_set_fn *set, void *ctx, char **text, FILE *err)
{
	char *line, *next, why[256];
	unsigned lineno = 0;
	int in_section = 0, applies = 1, rc;

	rc = config_slurp(path, required, text);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		fprintf(err, "fetchpool: cannot read config '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	for (line = *text; line; line = next) {
		char *end = strchr(line, '\n'), *eq, *name, *value;

		next = end ? end + 1 : NULL;
		if (!end)
			end = line + strlen(line);
		lineno++;
		line = config_trim(line, end);
		if (!*line || *line == '#')
			continue;
		if (*line == '[') {
			size_t len = strlen(line);

			if (line[len - 1] != ']') {
				fprintf(err, "%s:%u: a section is [COMMAND]\n",
					path, lineno);
				return -1;
			}
			line[len - 1] = '\0';
			name = config_trim(line + 1, line + len - 1);
			if (!fp_command_find(name)) {
				fprintf(err, "%s:%u: unknown section '[%s]' "
					     "(a command name)\n",
					path, lineno, name);
				return -1;
			}
			in_section = 1;
			applies = !strcmp(name, command);
			continue;
		}
		eq = strchr(line, '=');
		if (!eq) {
			fprintf(err, "%s:%u: expected 'name = value'\n", path,
				lineno);
			return -1;
		}
		name = config_trim(line, eq);
		value = config_trim(eq + 1, eq + 1 + strlen(eq + 1));
		if (name[0] == '-' && name[1] == '-')
			name += 2;
		/* Lines for another command are still checked by name, so
		 * that a typo shows whichever command runs. */
		why[0] = '\0';
		if (set(ctx, name, applies ? value : NULL, in_section, why,
			sizeof(why))) {
			fprintf(err, "%s:%u: %s\n", path, lineno, why);
			return -1;
		}
	}
	return 0;
}
