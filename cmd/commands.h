/* The command table: each command's name, entry point, arguments and help
 * line. Dispatch, --help's synopsis and the completion's command words are
 * made from it; the option table (cmd/options.c) says which options each
 * command takes through the command's bit. */
#ifndef FP_CMD_COMMANDS_H
#define FP_CMD_COMMANDS_H

struct fp_opts;
struct fp_out;

/* One bit per command: an option row's mask of the commands taking it. */
enum fp_cmd_bit {
	FP_CMD_BOOKS = 1u << 0,
	FP_CMD_GDP = 1u << 1,
	FP_CMD_CATALOG = 1u << 2,
	FP_CMD_ALL = FP_CMD_BOOKS | FP_CMD_GDP | FP_CMD_CATALOG,
};

struct fp_command {
	const char *name;
	unsigned bit;        /* FP_CMD_*: rows carrying it are its options */
	int (*run)(struct fp_opts *o, struct fp_out *out); /* an fp_exit */
	const char *args;    /* synopsis of its arguments: "FILE" */
	const char *summary; /* one line of --help */
	int min_args, max_args; /* max -1: any number */
	const char *args_rule;  /* "exactly one FILE": the usage error */
};

/* In --help order. The first is the default: "fetchpool FILE" runs it. */
extern const struct fp_command fp_commands[];
extern const unsigned fp_ncommands;

/* The entry points in the table (cmd/cmd_books.c, cmd/cmd_gdp.c,
 * cmd/cmd_catalog.c). */
int fp_cmd_books(struct fp_opts *o, struct fp_out *out);
int fp_cmd_gdp(struct fp_opts *o, struct fp_out *out);
int fp_cmd_catalog(struct fp_opts *o, struct fp_out *out);

/* The command named NAME, or NULL. */
const struct fp_command *fp_command_find(const char *name);

#endif
