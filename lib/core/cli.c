// SPDX-License-Identifier: MIT
#include "lib/core/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/log.h"
#include "lib/core/schema.h"
#include "lib/core/verdict.h"

#ifndef CGS_VERSION
#define CGS_VERSION "0.0.0"
#endif

const char cgs_version[] = CGS_VERSION;

struct cgs_common_opts cgs_opts;

enum {
	KEY_HELP = 0x10000,
	KEY_VERSION,
	KEY_VERBOSE,
	KEY_QUIET,
	KEY_JSON,
	KEY_LIST_OPTIONS,
	KEY_HELP_EXPERIMENTAL,
	KEY_PRINT_SCHEMA,
};

static const struct cgs_option common_options[] = {
	{ "help", 'h', CGS_NO_ARG, NULL, "show this help and exit", 0 },
	{ "help-experimental", KEY_HELP_EXPERIMENTAL, CGS_NO_ARG, NULL,
	  "show the experimental (--x-...) options and exit", 0 },
	{ "version", KEY_VERSION, CGS_NO_ARG, NULL, "show the version and exit", 0 },
	{ "verbose", 'v', CGS_NO_ARG, NULL, "say more on stderr (repeat for debug output)", 0 },
	{ "quiet", 'q', CGS_NO_ARG, NULL, "print only errors on stderr", 0 },
	{ "json", KEY_JSON, CGS_OPT_ARG, "pretty|short", "print the result as JSON", 0 },
	{ "print-schema", KEY_PRINT_SCHEMA, CGS_NO_ARG, NULL,
	  "print the JSON Schema of the --json output and exit", 0 },
	{ "list-options", KEY_LIST_OPTIONS, CGS_NO_ARG, NULL, "list the options (for completion)",
	  CGS_OPT_HIDDEN },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

static int common_key(int key)
{
	switch (key) {
	case 'h':
		return KEY_HELP;
	case 'v':
		return KEY_VERBOSE;
	case 'q':
		return KEY_QUIET;
	default:
		return key;
	}
}

static size_t count_options(const struct cgs_option *o)
{
	size_t n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

static int has_short(const struct cgs_option *o, int key)
{
	for (; o && o->name; o++)
		if (o->key == key)
			return 1;
	return 0;
}

static int has_experimental(const struct cgs_command *cmd)
{
	for (const struct cgs_option *o = cmd->options; o && o->name; o++)
		if (o->flags & CGS_OPT_EXPERIMENTAL)
			return 1;
	return 0;
}

/* Is this common option offered by this command? */
static int common_offered(const struct cgs_command *cmd, const struct cgs_option *c)
{
	if (c->key == KEY_JSON || c->key == KEY_PRINT_SCHEMA)
		return !!(cmd->common & CGS_COMMON_JSON);
	if (c->key == KEY_HELP_EXPERIMENTAL)
		return has_experimental(cmd);
	return 1;
}

/* ---- completion data, suggestions, the verb name and --print-schema ---- */

static char cli_verb[64];
static const struct cgs_values *cli_values;

const char *cgs_cli_verb(void)
{
	return cli_verb[0] ? cli_verb : NULL;
}

/* The command's name after the program ("cgs-verify snp show" -> "snp show"). */
static void cli_verb_from_command(const char *name)
{
	const char *sp = strchr(name, ' ');

	if (sp)
		snprintf(cli_verb, sizeof(cli_verb), "%s", sp + 1);
}

static void print_exit_status(void)
{
	printf("\nExit status: 0 success, 1 failure, 2 not verified, 64 usage error,\n"
	       "65 malformed input, 66 missing input; see cgs(7).\n");
}

/* A metavar that lists literal values: "hex|base64" (not "BLOB|INITRD"). */
static int enumerated(const char *m)
{
	if (!m || !strchr(m, '|'))
		return 0;
	for (; *m; m++)
		if (!((*m >= 'a' && *m <= 'z') || (*m >= '0' && *m <= '9') || strchr("|-_.:", *m)))
			return 0;
	return 1;
}

/* Print the values an option takes, space separated ("-" if none are known). */
static void list_values(const struct cgs_option *o)
{
	const char *m = o->metavar;
	int n = 0;

	for (const struct cgs_values *v = cli_values; v && v->option; v++) {
		if (strcmp(v->option, o->name))
			continue;
		for (size_t i = 0; v->value(i); i++)
			printf("%s%s", n++ ? " " : "", v->value(i));
		break;
	}
	if (!n && o->arg != CGS_NO_ARG && enumerated(m)) /* "hex|base64" */
		for (; *m; m++, n++)
			putchar(*m == '|' ? ' ' : *m);
	if (!n)
		putchar('-');
}

/*
 * One line per option: "--name<TAB>METAVAR<TAB>FLAGS<TAB>VALUES", every field
 * present ("-" when empty); FLAGS is a comma list of "hidden", "experimental",
 * "alias" (not offered by completion) and "optional" (the argument needs
 * --name=ARG).
 */
static void list_option(const struct cgs_option *o, int with_short)
{
	const char *meta = o->arg != CGS_NO_ARG && o->metavar ? o->metavar : "-";
	char flags[40];

	snprintf(flags, sizeof(flags), "%s%s%s%s", o->flags & CGS_OPT_HIDDEN ? ",hidden" : "",
		 o->flags & CGS_OPT_EXPERIMENTAL ? ",experimental" : "",
		 o->flags & CGS_OPT_ALIAS ? ",alias" : "", o->arg == CGS_OPT_ARG ? ",optional" : "");
	if (!flags[0])
		strcpy(flags, ",-");

	for (int pass = 0; pass < 1 + !!with_short; pass++) {
		if (pass)
			printf("-%c\t%s\t%s\t", o->key, meta, flags + 1);
		else
			printf("--%s\t%s\t%s\t", o->name, meta, flags + 1);
		list_values(o);
		putchar('\n');
	}
}

static void list_options(const struct cgs_command *cmd)
{
	for (const struct cgs_option *o = cmd->options; o && o->name; o++)
		list_option(o, o->key > 0 && o->key < 256);
	for (const struct cgs_option *c = common_options; c->name; c++)
		if (common_offered(cmd, c))
			list_option(c, c->key > 0 && c->key < 256 && !has_short(cmd->options, c->key));
}

/* Optimal string alignment distance (a transposition counts as one edit). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[3][65], best;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *r = d[i % 3], *p = d[(i + 2) % 3], *pp = d[(i + 1) % 3];

		r[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			best = p[j] + 1;
			if (r[j - 1] + 1 < best)
				best = r[j - 1] + 1;
			if (p[j - 1] + cost < best)
				best = p[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			r[j] = best;
		}
	}
	return d[la % 3][lb];
}

/* Is name a close enough misspelling of cand to suggest it? Returns its distance. */
static size_t suggest_distance(const char *name, const char *cand)
{
	size_t d = edit_distance(name, cand), n = strlen(name);

	/* up to one edit in 3 letters, at most 3; never replace most of a short word */
	if (d == 0 || d > 3 || d * 3 > n + 2)
		return (size_t)-1;
	return d;
}

/*
 * Append to buf (" 'x', 'y'") the candidates closest to name; names(i) gives
 * the i-th candidate or NULL. Returns the number appended.
 */
static int suggest(const char *name, const char *(*names)(const void *ctx, size_t i),
		   const void *ctx, const char *prefix, char *buf, size_t size)
{
	size_t best = (size_t)-1, len = strlen(buf);
	int n = 0;
	const char *c;

	for (size_t i = 0; (c = names(ctx, i)); i++)
		if (suggest_distance(name, c) < best)
			best = suggest_distance(name, c);
	if (best == (size_t)-1)
		return 0;
	for (size_t i = 0; (c = names(ctx, i)) && len < size; i++) {
		if (suggest_distance(name, c) != best)
			continue;
		snprintf(buf + len, size - len, "%s'%s%s'", n++ ? ", " : "", prefix, c);
		len = strlen(buf);
	}
	return n;
}

/* The i-th long option a command accepts (hidden ones excepted), or NULL. */
static const char *option_name(const void *ctx, size_t i)
{
	const struct cgs_command *cmd = ctx;
	const struct cgs_option *tables[2] = { cmd->options, common_options };

	for (int t = 0; t < 2; t++)
		for (const struct cgs_option *o = tables[t]; o && o->name; o++) {
			if ((o->flags & CGS_OPT_HIDDEN) || (t == 1 && !common_offered(cmd, o)))
				continue;
			if (i-- == 0)
				return o->name;
		}
	return NULL;
}

static const char *verb_name(const void *ctx, size_t i)
{
	const struct cgs_verb *v = ctx;

	for (; v->name; v++)
		if (!(v->flags & CGS_OPT_HIDDEN) && i-- == 0)
			return v->name;
	return NULL;
}

/* Report an unrecognised or ambiguous long option ("--repor", "--reprot=x"). */
static int bad_long_option(const struct cgs_command *cmd, const char *arg)
{
	char name[64], list[512] = "";
	const char *o;
	size_t len = strcspn(arg + 2, "="), n = 0;

	snprintf(name, sizeof(name), "%.*s", (int)len, arg + 2);
	for (size_t i = 0; (o = option_name(cmd, i)); i++) {
		size_t used = strlen(list);

		if (strncmp(o, name, len) || used >= sizeof(list))
			continue;
		snprintf(list + used, sizeof(list) - used, "%s'--%s'", n++ ? ", " : "", o);
	}
	if (n > 1 && len > 0)
		return cgs_log_usage("option '--%s' is ambiguous; possibilities: %s", name, list);
	list[0] = '\0';
	if (suggest(name, option_name, cmd, "--", list, sizeof(list)))
		return cgs_log_usage("unrecognized option '--%s'; did you mean %s?", name, list);
	return cgs_log_usage("unrecognized option '%s'", arg);
}

static int unknown_verb(const struct cgs_tool *tool, const char *verb)
{
	char list[512] = "";

	if (suggest(verb, verb_name, tool->verbs, "", list, sizeof(list)))
		return cgs_log_usage("unknown verb '%s'; did you mean %s?", verb, list);
	return cgs_log_usage("unknown verb '%s'", verb);
}

/* --print-schema: the schema named by the program and the verb. */
static int print_schema(const struct cgs_command *cmd)
{
	char name[128];
	size_t prog = strcspn(cmd->name, " ");

	snprintf(name, sizeof(name), "%.*s-%s", (int)prog, cmd->name, cli_verb);
	for (char *p = name; *p; p++)
		if (*p == ' ')
			*p = '-';
	return cgs_schema_print(name);
}

static void print_option(const struct cgs_option *o, int short_ok)
{
	char left[96];
	int n;

	if (o->key > 0 && o->key < 256 && short_ok)
		n = snprintf(left, sizeof(left), "  -%c, --%s", o->key, o->name);
	else
		n = snprintf(left, sizeof(left), "      --%s", o->name);
	if (o->arg == CGS_REQ_ARG)
		snprintf(left + n, sizeof(left) - (size_t)n, "=%s", o->metavar ? o->metavar : "ARG");
	else if (o->arg == CGS_OPT_ARG)
		snprintf(left + n, sizeof(left) - (size_t)n, "[=%s]",
			 o->metavar ? o->metavar : "ARG");
	if (strlen(left) >= 30)
		printf("%s\n%32s%s\n", left, "", o->help ? o->help : "");
	else
		printf("%-32s%s\n", left, o->help ? o->help : "");
}

static void print_table(const struct cgs_command *cmd, unsigned want_experimental)
{
	for (const struct cgs_option *o = cmd->options; o && o->name; o++) {
		if (o->flags & (CGS_OPT_HIDDEN | CGS_OPT_ALIAS))
			continue;
		if (!!(o->flags & CGS_OPT_EXPERIMENTAL) != !!want_experimental)
			continue;
		print_option(o, 1);
	}
}

void cgs_cli_help(const struct cgs_command *cmd)
{
	printf("Usage: %s %s\n", cmd->name, cmd->usage ? cmd->usage : "[OPTION]...");
	if (cmd->summary)
		printf("%s\n", cmd->summary);
	printf("\nOptions:\n");
	print_table(cmd, 0);
	for (const struct cgs_option *c = common_options; c->name; c++) {
		if ((c->flags & CGS_OPT_HIDDEN) || !common_offered(cmd, c))
			continue;
		print_option(c, !has_short(cmd->options, c->key));
	}
	if (cmd->epilog)
		printf("\n%s\n", cmd->epilog);
	if (!cmd->epilog || !strstr(cmd->epilog, "Exit status"))
		print_exit_status();
}

static int build_getopt(const struct cgs_command *cmd, struct option *longs, char *shorts)
{
	size_t nl = 0, ns = 0;
	const struct cgs_option *tables[2] = { cmd->options, common_options };

	shorts[ns++] = ':';
	for (int t = 0; t < 2; t++) {
		for (const struct cgs_option *o = tables[t]; o && o->name; o++) {
			int key = o->key;

			if (t == 1 && !common_offered(cmd, o))
				continue;
			if (t == 1) {
				if (key < 256 && has_short(cmd->options, key))
					key = common_key(key); /* long form only */
				else if (key < 256)
					shorts[ns++] = (char)key;
			} else if (key > 0 && key < 256) {
				shorts[ns++] = (char)key;
				if (o->arg == CGS_REQ_ARG)
					shorts[ns++] = ':';
			}
			longs[nl].name = o->name;
			longs[nl].has_arg = o->arg == CGS_NO_ARG	? no_argument :
					    o->arg == CGS_REQ_ARG ? required_argument :
								    optional_argument;
			longs[nl].flag = NULL;
			longs[nl].val = t == 1 ? common_key(key) : key;
			nl++;
		}
	}
	memset(&longs[nl], 0, sizeof(longs[nl]));
	shorts[ns] = '\0';
	return 0;
}

static int handle_common(const struct cgs_command *cmd, int key, const char *arg)
{
	switch (key) {
	case KEY_HELP:
		cgs_cli_help(cmd);
		return CGS_EXIT_OK;
	case KEY_HELP_EXPERIMENTAL:
		printf("Experimental options of %s (for tests and reproducible builds):\n",
		       cmd->name);
		print_table(cmd, 1);
		return CGS_EXIT_OK;
	case KEY_PRINT_SCHEMA:
		return print_schema(cmd);
	case KEY_VERSION:
		printf("%s %s\n", cmd->name, cgs_version);
		return CGS_EXIT_OK;
	case KEY_LIST_OPTIONS:
		list_options(cmd);
		return CGS_EXIT_OK;
	case KEY_VERBOSE:
		if (cgs_opts.verbosity < 2)
			cgs_opts.verbosity++;
		cgs_log_set_level(cgs_opts.verbosity);
		return -1;
	case KEY_QUIET:
		cgs_opts.verbosity = -1;
		cgs_log_set_level(-1);
		return -1;
	case KEY_JSON:
		if (!arg || !strcmp(arg, "pretty"))
			cgs_opts.json = CGS_JSON_PRETTY;
		else if (!strcmp(arg, "short"))
			cgs_opts.json = CGS_JSON_SHORT;
		else if (!strcmp(arg, "off"))
			cgs_opts.json = CGS_JSON_OFF;
		else
			return cgs_log_usage("invalid argument '%s' for '--json' "
					     "(expected 'pretty', 'short' or 'off')", arg);
		return -1;
	default:
		return -2; /* not a common option */
	}
}

int cgs_cli_parse(const struct cgs_command *cmd, int argc, char **argv, int *ret_optind)
{
	size_t n = count_options(cmd->options) + count_options(common_options) + 1;
	struct option *longs = calloc(n, sizeof(*longs));
	char *shorts = calloc(3 * n + 2, 1);
	int rc = -1, c;

	if (!longs || !shorts) {
		free(longs);
		free(shorts);
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	cgs_log_set_help_cmd(cmd->name);
	cli_verb_from_command(cmd->name);
	build_getopt(cmd, longs, shorts);
	opterr = 0;
	optind = 0;
	while (rc < 0 && (c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?') {
			if (optopt > 0 && optopt < 256)
				rc = cgs_log_usage("invalid option -- '%c'", optopt);
			else if (!strncmp(argv[optind - 1], "--", 2))
				rc = bad_long_option(cmd, argv[optind - 1]);
			else
				rc = cgs_log_usage("unrecognized option '%s'", argv[optind - 1]);
			break;
		}
		if (c == ':') {
			rc = cgs_log_usage("option '%s' requires an argument", argv[optind - 1]);
			break;
		}
		if (c < 256 && !has_short(cmd->options, c))
			c = common_key(c);
		rc = handle_common(cmd, c, optarg);
		if (rc == -2)
			rc = cmd->on_option ? cmd->on_option(cmd->ctx, c, optarg) : 0;
		if (rc == 0 && c < 0x10000)
			rc = -1; /* command option accepted: go on */
	}
	if (rc < 0)
		*ret_optind = optind;
	free(longs);
	free(shorts);
	return rc;
}

int cgs_cli_parse_options(const struct cgs_command *cmd, int argc, char **argv)
{
	int optind_, rc = cgs_cli_parse(cmd, argc, argv, &optind_);

	if (rc < 0 && optind_ < argc)
		rc = cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	return rc;
}

static void tool_help(const struct cgs_tool *tool)
{
	printf("Usage: %s <verb> [OPTION]...\n%s\n\nVerbs:\n", tool->name, tool->summary);
	for (const struct cgs_verb *v = tool->verbs; v->name; v++)
		if (!(v->flags & CGS_OPT_HIDDEN))
			printf("  %-22s%s\n", v->name, v->summary);
	printf("\nRun '%s <verb> --help' for the options of a verb.\n", tool->name);
	print_exit_status();
}

/* Run a verb; a program's own verbs name the document ("digest") until the command does. */
static int run_verb(const struct cgs_tool *tool, const struct cgs_verb *v, int argc, char **argv)
{
	if (!strchr(tool->name, ' '))
		snprintf(cli_verb, sizeof(cli_verb), "%s", v->name);
	return v->run(argc, argv);
}

static int dispatch(const struct cgs_tool *tool, int argc, char **argv);

/*
 * The one place where a verb's result reaches the exit code: whatever a verb
 * printed on stdout (verdict, summary, help) is flushed here, and a result that
 * could not be written is a runtime failure (1), not a success or a verdict.
 * Sub-tools dispatch again (cgs-verify s390 ...): only the outermost call checks.
 */
int cgs_cli_dispatch(const struct cgs_tool *tool, int argc, char **argv)
{
	static int depth;
	int rc;

	depth++;
	rc = dispatch(tool, argc, argv);
	if (--depth > 0)
		return rc;
	return cgs_cli_finish_stdout(rc);
}

int cgs_cli_finish_stdout(int rc)
{
	int bad, err;

	errno = 0;
	bad = fflush(stdout) != 0 || ferror(stdout);
	err = errno;

	if (!bad)
		return rc;
	/* a failure already explained keeps its code and message */
	if (rc != CGS_EXIT_OK && rc != CGS_EXIT_NOT_VERIFIED &&
	    (rc != CGS_EXIT_FAILURE || cgs_log_error_count() > 0))
		return rc;
	cgs_log_error("cannot write the result to standard output: %s",
		      err ? strerror(err) : "write error");
	return CGS_EXIT_FAILURE;
}

static int dispatch(const struct cgs_tool *tool, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;

	cgs_log_set_help_cmd(tool->name);
	if (tool->values)
		cli_values = tool->values;
	if (verb && !strcmp(verb, "--list-verbs")) { /* before the default verb: for completion */
		for (const struct cgs_verb *v = tool->verbs; v->name; v++)
			if (!(v->flags & CGS_OPT_HIDDEN))
				printf("%s\n", v->name);
		return CGS_EXIT_OK;
	}
	if (verb && verb[0] == '-' && tool->default_verb) {
		for (const struct cgs_verb *v = tool->verbs; v->name; v++)
			if (!strcmp(v->name, tool->default_verb))
				return run_verb(tool, v, argc, argv);
	}
	if (!verb)
		return cgs_log_usage("missing verb");
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") || !strcmp(verb, "help")) {
		tool_help(tool);
		return CGS_EXIT_OK;
	}
	if (!strcmp(verb, "--version")) {
		printf("%s %s\n", tool->name, cgs_version);
		return CGS_EXIT_OK;
	}
	for (const struct cgs_verb *v = tool->verbs; v->name; v++)
		if (!strcmp(v->name, verb))
			return run_verb(tool, v, argc - 1, argv + 1);
	return unknown_verb(tool, verb);
}

int cgs_parse_u64(const char *s, uint64_t *ret)
{
	int base = 10;
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -1;
	*ret = v;
	return 0;
}

int cgs_arg_u64(const char *opt, const char *arg, uint64_t max, uint64_t *ret)
{
	uint64_t v;

	if (cgs_parse_u64(arg, &v) || v > max)
		return cgs_log_usage("invalid value '%s' for '--%s' (expected an integer up to "
				     "%llu)", arg, opt, (unsigned long long)max);
	*ret = v;
	return 0;
}

int cgs_arg_skip(struct cgs_name_list *l, const struct cgs_check_def *(*table)(size_t *ret_n),
		 const char *arg)
{
	size_t n_defs;
	const struct cgs_check_def *defs = table(&n_defs);
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (cgs_skip_list_add(l, defs, n_defs, arg, &d))
		return cgs_log_usage("--skip: %s", d.text);
	return 0;
}

int cgs_arg_hex(const char *opt, const char *arg, uint8_t *out, size_t len)
{
	if (cgs_hex_decode(arg, out, len, NULL, 1))
		return cgs_log_usage("invalid value for '--%s' (expected %zu bytes as %zu hex "
				     "digits)", opt, len, 2 * len);
	return 0;
}

int cgs_arg_push(const char **list, size_t *n, size_t max, const char *opt, const char *arg)
{
	if (*n >= max)
		return cgs_log_usage("too many '%s' options (at most %zu)", opt, max);
	list[(*n)++] = arg;
	return 0;
}

int cgs_arg_source(const char *opt, const char *arg, const char *inline_what,
		   const char *inline_why, int *ret_is_path)
{
	struct stat st;

	if (!strcmp(arg, "-") || stat(arg, &st) == 0) {
		cgs_log_verbose("--%s: reading the file '%s'", opt, arg);
		*ret_is_path = 1;
		return 0;
	}
	if (!inline_why) {
		cgs_log_verbose("--%s: no file '%s': read as inline %s", opt, arg, inline_what);
		*ret_is_path = 0;
		return 0;
	}
	cgs_log_error("failed to read '%s': no such file (nor a valid %s for '--%s': %s)", arg,
		      inline_what, opt, inline_why);
	return CGS_EXIT_NOINPUT;
}
