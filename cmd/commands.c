#include "config.h"
#include "commands.h"

#include <string.h>


/* Adding a command is a row here, its bit in enum fp_cmd_bit (and
 * FP_CMD_ALL), and the bit in the rows of the options it takes. */
const struct fp_command fp_commands[] = {
	{ "books", FP_CMD_BOOKS, fp_cmd_books, "FILE",
	  "download the texts and URLs listed in FILE ('-': standard "
	  "input); the command word may be left out",
	  1, 1, "exactly one FILE ('-' for standard input)" },
	{ "gdp", FP_CMD_GDP, fp_cmd_gdp, "[COUNTRY ...]",
	  "fetch World Bank GDP records of the countries (default: all "
	  "economies) and aggregate them",
	  0, -1, NULL },
	{ "catalog", FP_CMD_CATALOG, fp_cmd_catalog, "[FILTERS]",
	  "print a list file of the books in Project Gutenberg's catalog "
	  "that match the filters, for 'fetchpool books -'",
	  0, 0, "no arguments, only options (--author TEXT, ...)" },
};

const unsigned fp_ncommands = sizeof(fp_commands) / sizeof(fp_commands[0]);

const struct fp_command *fp_command_find(const char *name)
{
	unsigned i;

	for (i = 0; i < fp_ncommands; i++)
		if (!strcmp(fp_commands[i].name, name))
			return &fp_commands[i];
	return NULL;
}
