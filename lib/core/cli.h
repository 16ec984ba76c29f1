/* SPDX-License-Identifier: MIT */
/*
 * The option-table driver: one table per command feeds getopt_long, --help,
 * --list-options (read by the bash completion and the docs-sync tests) and
 * --help-experimental. Also the verb dispatcher and typed argument parsers.
 */
#ifndef CGS_LIB_CORE_CLI_H
#define CGS_LIB_CORE_CLI_H

#include <stddef.h>
#include <stdint.h>

enum cgs_opt_arg { CGS_NO_ARG, CGS_REQ_ARG, CGS_OPT_ARG };

/* option flags */
#define CGS_OPT_HIDDEN 0x1u       /* not in --help (still in --list-options) */
#define CGS_OPT_EXPERIMENTAL 0x2u /* only in --help-experimental (--x-...) */
#define CGS_OPT_ALIAS 0x4u        /* another name for the previous entry's key */

struct cgs_option {
	const char *name;    /* long name without "--"; required */
	int key;             /* short option letter, or a value >= 256 */
	enum cgs_opt_arg arg;
	const char *metavar; /* "FILE", "HEX", ... (NULL for CGS_NO_ARG) */
	const char *help;    /* one line, lower case */
	unsigned flags;
};

/*
 * common options a command accepts besides -h, --version, -v, -q;
 * CGS_COMMON_JSON also offers --print-schema (the schema of the JSON document)
 */
#define CGS_COMMON_JSON 0x1u

/* Keys >= CGS_KEY_FIRST are free for commands; below 256 are short letters. */
#define CGS_KEY_FIRST 256

struct cgs_command {
	const char *name;     /* "cgs-verify snp": used in usage and messages */
	const char *usage;    /* "[OPTION]... --report FILE" */
	const char *summary;  /* one line describing the command */
	const struct cgs_option *options; /* ends with an entry whose name is NULL */
	unsigned common;      /* CGS_COMMON_* */
	const char *epilog;   /* optional text after the option list */
	/*
	 * Called for each option in command-line order, with the option's key and
	 * argument (NULL if none). Returns 0 to go on or an exit code to stop; it
	 * reports its own usage errors with cgs_log_usage().
	 */
	int (*on_option)(void *ctx, int key, const char *arg);
	void *ctx;
};

enum cgs_json_mode { CGS_JSON_OFF = 0, CGS_JSON_PRETTY, CGS_JSON_SHORT };

/* Options common to every command, filled by cgs_cli_parse. */
struct cgs_common_opts {
	enum cgs_json_mode json;
	int verbosity; /* -1 quiet, 0, 1 -v, 2 -vv */
};
extern struct cgs_common_opts cgs_opts;

/*
 * Parse argv (argv[0] is the command or verb name). Returns -1 when parsing
 * succeeded and the command should run, with *ret_optind the index of the
 * first operand; otherwise an exit code to return at once (0 after --help,
 * --version, --print-schema or --list-options; 64 after a usage error, already
 * reported: an unknown option gets a "did you mean", an ambiguous abbreviation
 * the list of candidates).
 */
int cgs_cli_parse(const struct cgs_command *cmd, int argc, char **argv, int *ret_optind);

/* cgs_cli_parse for a command that takes options only: an operand is a usage error. */
int cgs_cli_parse_options(const struct cgs_command *cmd, int argc, char **argv);

/* Print the command's --help text to stdout. */
void cgs_cli_help(const struct cgs_command *cmd);

struct cgs_verb {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] = verb name; returns exit code */
	const char *summary;
	unsigned flags; /* CGS_OPT_HIDDEN: not listed */
};

/* The values an option takes, for completion: value(i) is the i-th, NULL past the end. */
struct cgs_values {
	const char *option; /* long name without "--" (same meaning in every verb of the tool) */
	const char *(*value)(size_t i);
};

struct cgs_tool {
	const char *name;          /* "cgs-verify" (or "cgs-verify s390" for sub-verbs) */
	const char *summary;
	const struct cgs_verb *verbs; /* ends with a NULL name */
	const char *default_verb;  /* run when the first argument is an option; may be NULL */
	const struct cgs_values *values; /* optional; ends with a NULL option */
};

/*
 * Run the verb named by argv[1] (argv[0] is the tool). Handles --help,
 * --version and --list-verbs at tool level; unknown verbs are usage errors
 * (with a "did you mean" suggestion). The result is passed through
 * cgs_cli_finish_stdout().
 */
int cgs_cli_dispatch(const struct cgs_tool *tool, int argc, char **argv);

/*
 * The verb being run, as the JSON "verb" key shows it: the words after the
 * program in the command's name ("snp", "snp show", "s390 verify"), or the
 * verb the dispatcher chose ("digest"); NULL outside a verb.
 */
const char *cgs_cli_verb(void);

/*
 * Flush stdout; if it cannot be written and rc is 0 or 2 (a result was due),
 * or 1 with nothing logged yet (a verb that found out itself), log it and
 * return 1, else return rc. cgs_cli_dispatch calls it once, on its
 * way out, so every verb of every tool gets the check.
 */
int cgs_cli_finish_stdout(int rc);

/*
 * Typed argument parsers. Each reports a usage error naming the option and
 * returns CGS_EXIT_USAGE, or returns 0 and stores the value.
 * Integers accept decimal, 0x (hex), 0o (octal) and 0b (binary) prefixes.
 */
int cgs_arg_u64(const char *opt, const char *arg, uint64_t max, uint64_t *ret);
int cgs_arg_hex(const char *opt, const char *arg, uint8_t *out, size_t len);
/*
 * --skip a,b (repeatable): each name must be a policy check of the verifier's
 * table (cgs_snp_checks, ...; see cgs_skip_list_add); a usage error says why
 * otherwise.
 */
struct cgs_name_list;
struct cgs_check_def;
int cgs_arg_skip(struct cgs_name_list *l, const struct cgs_check_def *(*table)(size_t *ret_n),
		 const char *arg);
/* Append arg to a repeatable option's list of at most max entries (opt: "--crl"). */
int cgs_arg_push(const char **list, size_t *n, size_t max, const char *opt, const char *arg);

/*
 * An argument that is a path or inline data (--measurement FILE|BASE64): a
 * path if a file of that name exists (or "-"); else inline if inline_why is
 * NULL (the caller found arg valid inline data of the expected length); else
 * a missing file: logs "no such file" with inline_why (why arg is not valid
 * inline data) and returns CGS_EXIT_NOINPUT (66). -v says which way the
 * argument was read. inline_what names the inline form ("base64
 * measurement"). Returns 0 with *ret_is_path set otherwise.
 */
int cgs_arg_source(const char *opt, const char *arg, const char *inline_what,
		   const char *inline_why, int *ret_is_path);

/* Parse an integer with prefixes as above; 0 on success, -1 otherwise. */
int cgs_parse_u64(const char *s, uint64_t *ret);

/* The suite version string. */
extern const char cgs_version[];

#endif
