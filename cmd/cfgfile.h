/* The config file (not the build's config.h): option defaults of one
 * user or one service, read before the command line (which wins).
 * Where it is: --config FILE, else $FETCHPOOL_CONFIG, else
 * $XDG_CONFIG_HOME/fetchpool/config ($HOME/.config/fetchpool/config when
 * XDG_CONFIG_HOME is unset); the
 * last may be missing, the first two must be readable. --no-config reads
 * none.
 *
 *     # comment (a line whose first non-blank is '#')
 *     max-conc = 8
 *     fail-fast = true
 *     [books]
 *     report = /var/log/fetchpool/last.json
 *     [gdp]
 *     max-conc = 2
 *
 * A line is `name = value`: a long option name without "--" and its
 * value as on the command line (blanks around both trimmed; a flag takes
 * true or false, false leaving the default). Lines before any section
 * apply to every command that takes the option (and are skipped by the
 * others); lines under [COMMAND] apply to that command only. What each
 * name means is the option table's business (cmd/options.c): this module
 * reads the lines and hands them over. */
#ifndef FP_CMD_CFGFILE_H
#define FP_CMD_CFGFILE_H
#include <stddef.h>
#include <stdio.h>

#define FP_CONFIG_ENV "FETCHPOOL_CONFIG"

/* Store one line's value. in_section: the line stands under [COMMAND]
 * (an option the command does not take is then an error, not skipped).
 * Returns 0, or -1 with the reason in why (no "FILE:LINE: " prefix). */
typedef int fp_config_set_fn(void *ctx, const char *name, const char *value,
			     int in_section, char *why, size_t whylen);

/* The file to read: given (from --config) if not NULL, else the
 * environment's, else the XDG one. *required is 1 unless the path is the
 * XDG default. Returns a malloc'd path, or NULL when there is none (no
 * HOME) or out of memory. */
char *fp_config_path(const char *given, int *required);

/* Read PATH and call set for each line that applies to COMMAND, in file
 * order. The values point into *text, which the caller frees after the
 * options are no longer used (also on failure). Returns 0 (also for a
 * missing file that is not required), or -1 after printing one line to
 * ERR: "fetchpool: cannot read config 'PATH': REASON", or
 * "PATH:LINE: REASON" (an unknown section, a line without '=', or what
 * set refused). */
int fp_config_read(const char *path, int required, const char *command,
		   fp_config_set_fn *set, void *ctx, char **text, FILE *err);

#endif
