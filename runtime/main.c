/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rosfw: read RouterOS firewall scripts and make a Linux box behave like
 * that router's firewall. Each verb is one entry of the command table.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrlist.h"
#include "apply.h"
#include "confirm.h"
#include "ast.h"
#include "diag.h"
#include "dump.h"
#include "emit_nl.h"
#include "emit_text.h"
#include "ir_check.h"
#include "exitcode.h"
#include "forwarding.h"
#include "ifcheck.h"
#include "links.h"
#include "lower.h"
#include "merge.h"
#include "config.h"
#include "model.h"
#include "print.h"
#include "safefile.h"
#include "source.h"
#include "version.h"

#define MAX_ERRORS_DEFAULT 50

struct opts {
	bool json, netlink;
	bool here, ifc_given;		/* check --here, and its --missing-interfaces/--allow-missing */
	struct ifcheck_opts ifc;
	unsigned max_errors;
	long max_warnings;		/* -1: no limit */
	const char *output;
	struct lower_opts lower;
	struct config_ifopts ifo;
	bool merge;			/* compile: merge_runs (--merge=no: off) */
};

static int usage(FILE *out, int code)
{
	fputs("usage: rosfw COMMAND [OPTIONS] FILE...\n"
	      "\n"
	      "commands:\n"
	      "  check FILE...   read RouterOS scripts ('-' for stdin) and report every error compile and\n"
	      "                  apply would (--unsupported=skip-rule: what nftables cannot express warns);\n"
	      "                  --here: and what apply would find missing on this machine (interfaces,\n"
	      "                  forwarding), as apply judges it (--missing-interfaces, --allow-missing)\n"
	      "  dump FILE...    print the firewall configuration they leave as a normalized export\n"
	      "  compile FILE... [-o OUT]  write the nft script that makes this box that firewall\n"
	      "  apply FILE... [--check | --diff] [--confirm SECONDS]\n"
	      "                  make this box that firewall now (one kernel transaction); --diff: only\n"
	      "                  print what would change; --confirm: put the previous tables back\n"
	      "                  after SECONDS unless `rosfw confirm` runs\n"
	      "  address-list add|remove list=NAME address=ADDRESS [timeout=TIME] [comment=TEXT] [--ipv6]\n"
	      "                  one entry into or out of an applied address list, nothing else touched\n"
	      "  confirm         keep what the last apply --confirm applied\n"
	      "  rollback        put back now the tables the last apply --confirm replaced\n"
	      "  doc translation print the translation table (property -> nftables)\n"
	      "  flush           remove rosfw's tables from the kernel (other tables stay)\n"
	      "  parse FILE      print the syntax tree (for debugging the grammar)\n"
	      "  print stats [FACILITY|all] [--ipv6] [--json|--prometheus] [FILE...]\n"
	      "                  the kernel's counters per RouterOS rule, as RouterOS prints them\n"
	      "  print address-list [where list=NAME] [--ipv6] [--json] [--state FILE] [FILE...]\n"
	      "                  static entries of FILE and the kernel's dynamic ones with time left\n"
	      "  print connection [count-only] [where COND...] [--ipv6] [--json]\n"
	      "                  the connection table, with RouterOS's flags\n"
	      "  reset-counters [FACILITY|all] [--ipv6]  zero the counters of rosfw's rules\n"
	      "                  FACILITY: filter (the default), nat, mangle, raw (all: the four),\n"
	      "                  bridge-filter, bridge-nat (/interface bridge filter, nat)\n"
	      "\n"
	      "options:\n"
	      "  --json              diagnostics as one JSON array\n"
	      "  --max-errors N      stop after N errors (default 50)\n"
	      "  --max-warnings N    check, compile, apply: exit 1 when there are more than N warnings,\n"
	      "                      nothing written or applied (0: every warning is fatal; no limit by default)\n"
	      "  -o, --output FILE   compile: write here instead of stdout\n"
	      "  --unsupported=error|skip-rule\n"
	      "                      a property nftables cannot express is an error (default), or its\n"
	      "                      rule is left out with a warning saying whether that opens or closes traffic\n"
	      "  --fasttrack=flowtable|fallback\n"
	      "                      fasttrack-connection as a flowtable and flow add (compile's default), or\n"
	      "                      counted only, the next rule carrying the traffic (kernels without\n"
	      "                      flowtables); apply also takes auto (its default): the kernel decides\n"
	      "  --inspect=queue|no-queue\n"
	      "                      tls-host, layer7-protocol, content: undecided connections queued to\n"
	      "                      rosfw-inspect (default), or no queue (kernels without nft_queue: the\n"
	      "                      rules then never match)\n"
	      "  --merge=yes|no      compile, apply: runs of 4 or more rules that differ in one address or\n"
	      "                      port become one lookup counting per rule (default yes)\n"
	      "  --netlink           compile: print the netlink batch apply would send (as nft --debug=mnl)\n"
	      "  --flowtable-devices=IF,IF...  the devices FastTrack offloads, instead of every\n"
	      "                      interface the configuration names\n"
	      "  --here              check: hold the configuration against this machine's interfaces\n"
	      "  --missing-interfaces=error|warn  check --here, apply: an interface the rules match on\n"
	      "                      that this machine lacks is an error (default) or a warning\n"
	      "  --allow-missing=IF,...  check --here, apply: interfaces that appear later (ppp0, ppp*)\n"
	      "  --interface ROUTER=LINUX[,LINUX...]  (repeatable) what a router interface is on this\n"
	      "                      server: its default-name or its name in the configuration, to one\n"
	      "                      or more Linux names, a trailing * for a prefix (pppoe-out1=ppp*)\n"
	      "  --interface-map FILE|none  such entries, one a line (`ether1 = enp1s0`, # comments);\n"
	      "                      default " CONFIG_IFMAP_DEFAULT " when it exists; --interface wins\n"
	      "  -h, --help          this text\n"
	      "  --version           rosfw's version (rosfw --version)\n"
	      "\n" EXIT_HELP,
	      out);
	return code;
}

static int opts_parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "max-warnings", required_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "unsupported", required_argument, NULL, 'u' },
		{ "fasttrack", required_argument, NULL, 'f' },
		{ "netlink", no_argument, NULL, 'N' },
		{ "inspect", required_argument, NULL, 'Q' },
		{ "flowtable-devices", required_argument, NULL, 'D' },
		{ "here", no_argument, NULL, 'H' },
		{ "missing-interfaces", required_argument, NULL, 'X' },
		{ "allow-missing", required_argument, NULL, 'A' },
		{ "interface", required_argument, NULL, 'I' },
		{ "interface-map", required_argument, NULL, 'M' },
		{ "merge", required_argument, NULL, 'G' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("ROSFW_MISSING_INTERFACES");
	int c;

	o->max_errors = MAX_ERRORS_DEFAULT;
	o->max_warnings = -1;
	o->merge = true;
	if (env && *env && !ifcheck_opt_policy(env, &o->ifc.policy))
		return -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'm':
			if (!config_opt_max_errors(optarg, &o->max_errors))
				return -1;
			break;
		case 'W':
			if (!config_opt_max_warnings(optarg, &o->max_warnings))
				return -1;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'u':
			if (!config_opt_unsupported(optarg, &o->lower.unsupported))
				return -1;
			break;
		case 'N':
			o->netlink = true;
			break;
		case 'Q':
			if (!config_opt_inspect(optarg, &o->lower.inspect))
				return -1;
			break;
		case 'G':
			if (!config_opt_merge(optarg, &o->merge))
				return -1;
			break;
		case 'f':
			if (!config_opt_fasttrack(optarg, &o->lower.fasttrack, NULL))
				return -1;
			break;
		case 'D':
			if (!config_opt_flowtable_devices(optarg))
				return -1;
			o->lower.flowtable_devices = optarg;
			break;
		case 'H':
			o->here = true;
			break;
		case 'X':
			if (!ifcheck_opt_policy(optarg, &o->ifc.policy))
				return -1;
			o->ifc_given = true;
			break;
		case 'A':
			if (!ifcheck_opt_allow(optarg))
				return -1;
			o->ifc.allow = optarg;
			o->ifc_given = true;
			break;
		case 'I':
			config_opt_interface(&o->ifo, optarg);
			break;
		case 'M':
			if (!config_opt_interface_map(&o->ifo, optarg))
				return -1;
			break;
		case 'h':
			usage(stdout, 0);
			exit(EXIT_OK);
		default:
			return -1;
		}
	}
	if (o->ifc_given && !o->here) {
		fprintf(stderr, "rosfw: --missing-interfaces and --allow-missing go with check --here (or apply)\n");
		return -1;
	}
	if (optind >= argc) {
		fprintf(stderr, "rosfw: no input file\n");
		return -1;
	}
	return optind;
}

static void report(struct diag *d, const struct opts *o)
{
	if (o->json) {
		diag_print_json(d, stdout);
		fputc('\n', stdout);
	} else {
		diag_print(d, stderr);
	}
}

/* check --here: what apply would find missing on this machine, judged as
 * apply judges it (apply.c), so a pipeline can ask before it applies. */
static void check_here(const struct ir *ir, const struct opts *o, struct diag *d)
{
	struct links have = { 0 };
	int err = links_read(&have);

	if (err)
		diag_error(d, NULL, "reading this machine's interfaces (rtnetlink): %s", strerror(err));
	else
		ifcheck_run(ir, &have, &o->ifc, d);
	links_free(&have);
	forwarding_check(ir, true, d);
}

static int cmd_check_or_dump(int argc, char **argv, bool dump)
{
	struct opts o = { 0 };
	int first = opts_parse(argc, argv, &o);
	struct source_set *ss;
	struct diag *d;
	struct model *m;
	int rc;

	if (first >= 0 && dump && o.here) {
		fprintf(stderr, "rosfw: --here goes with check\n");
		first = -1;
	}
	if (first < 0)
		return usage(stderr, EXIT_IO);
	ss = source_set_new();
	d = diag_new(o.max_errors);
	m = config_ifmap(&o.ifo, d, ss, false, &o.lower) ?
		    config_read_map(argv + first, argc - first, d, ss, false, o.lower.ifmap) : NULL;
	if (!m) {
		rc = EXIT_IO;
	} else {
		/* check says what compile and apply would refuse (properties
		 * nftables cannot express, jumps, what no kernel loads): a CI
		 * gate on it must not pass what the deploy then refuses. */
		if (!dump && !diag_errors(d)) {
			struct ir *ir = lower_model(m, d, &o.lower);

			if (ir && o.here)
				check_here(ir, &o, d);
			ir_free(ir);
		}
		if (!dump)
			config_warnings_over(d, o.max_warnings);
		rc = diag_errors(d) ? EXIT_CONFIG : EXIT_OK;
		if (dump && rc == EXIT_OK)
			dump_model(m, stdout);
		report(d, &o);
	}
	model_free(m);
	ifmap_free((struct ifmap *)o.lower.ifmap);
	config_ifopts_free(&o.ifo);
	diag_free(d);
	source_set_free(ss);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	return cmd_check_or_dump(argc, argv, false);
}

static int cmd_dump(int argc, char **argv)
{
	return cmd_check_or_dump(argc, argv, true);
}

/* --netlink: the batch apply would send, as nft --debug=mnl prints its own. */
static int emit_batch(const struct ir *ir, FILE *out, struct diag *d)
{
	const struct ir_rule *r = NULL;
	const char *why = ir_check(ir, &r);
	struct emit_nl *b;

	if (why) {
		diag_error(d, r ? &r->loc : NULL, "not supported by the netlink back end yet: %s", why);
		return EXIT_CONFIG;
	}
	b = emit_nl_build_debug(ir, 0, true, out);
	emit_nl_fprint(b, out);
	emit_nl_free(b);
	return EXIT_OK;
}

static int cmd_compile(int argc, char **argv)
{
	struct opts o = { 0 };
	int first = opts_parse(argc, argv, &o);
	struct source_set *ss;
	struct diag *d;
	struct model *m;
	struct ir *ir = NULL;
	int rc;

	if (first >= 0 && o.here) {
		/* compile may run anywhere: the machine it runs on says nothing. */
		fprintf(stderr, "rosfw: --here goes with check\n");
		first = -1;
	}
	if (first < 0)
		return usage(stderr, EXIT_IO);
	ss = source_set_new();
	d = diag_new(o.max_errors);
	m = config_ifmap(&o.ifo, d, ss, false, &o.lower) ?
		    config_read_map(argv + first, argc - first, d, ss, false, o.lower.ifmap) : NULL;
	if (!m) {
		rc = EXIT_IO;
	} else {
		if (!diag_errors(d))
			ir = lower_model(m, d, &o.lower);
		if (ir && config_warnings_over(d, o.max_warnings)) {
			ir_free(ir);
			ir = NULL;
		}
		if (ir && o.merge)
			merge_runs(ir, MERGE_MIN_RUN);
		rc = ir ? EXIT_OK : EXIT_CONFIG;
		if (ir) {
			struct safefile *sf = NULL;
			FILE *out = stdout;

			/* A deploy step may load OUT at any time: it holds the
			 * old script until the new one is whole. */
			if (o.output && !(sf = safefile_open(o.output, 0666))) {
				diag_file_error(NULL, o.output, errno);
				rc = EXIT_IO;
			} else {
				if (sf)
					out = safefile_stream(sf);
				if (o.netlink)
					rc = emit_batch(ir, out, d);
				else
					emit_text(ir, out, argv[first]);
				if (sf && rc != EXIT_OK) {
					safefile_abort(sf);
				} else if (sf && safefile_commit(sf)) {
					diag_file_error("write error", o.output, errno);
					rc = EXIT_IO;
				}
			}
		}
		report(d, &o);
	}
	ir_free(ir);
	model_free(m);
	ifmap_free((struct ifmap *)o.lower.ifmap);
	config_ifopts_free(&o.ifo);
	diag_free(d);
	source_set_free(ss);
	return rc;
}

static int cmd_doc(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "translation")) {
		fprintf(stderr, "usage: rosfw doc translation\n");
		return EXIT_IO;
	}
	lower_table_markdown(stdout);
	return EXIT_OK;
}

static void print_stmt(void *ctx, const struct ast_cmd *c)
{
	(void)ctx;
	printf("%u: ", c->loc.line);
	ast_cmd_print(c, stdout);
	putchar('\n');
}

static int cmd_parse(int argc, char **argv)
{
	struct opts o = { 0 };
	int first = opts_parse(argc, argv, &o);
	struct source_set *ss;
	struct diag *d;
	const struct source *s;
	int rc;

	if (first < 0)
		return usage(stderr, EXIT_IO);
	ss = source_set_new();
	d = diag_new(o.max_errors);
	s = source_read(ss, argv[first]);
	if (!s) {
		diag_file_error(NULL, argv[first], errno);
		rc = EXIT_IO;
	} else {
		parse_buffer(d, diag_add_source(d, s->name, s->buf, s->len), s->buf, s->len, print_stmt, NULL);
		rc = diag_errors(d) ? EXIT_CONFIG : EXIT_OK;
		report(d, &o);
	}
	diag_free(d);
	source_set_free(ss);
	return rc;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "address-list", cmd_address_list },
	{ "apply", cmd_apply },
	{ "check", cmd_check },
	{ "compile", cmd_compile },
	{ "confirm", cmd_confirm },
	{ "doc", cmd_doc },
	{ "dump", cmd_dump },
	{ "flush", cmd_flush },
	{ "parse", cmd_parse },
	{ "print", cmd_print },
	{ "reset-counters", cmd_reset_counters },
	{ "rollback", cmd_rollback },
};

/*
 * Every exit ends here (atexit: the help texts exit() from option parsing
 * too). Output that never arrived (a full disk, /dev/full, a closed pipe
 * with SIGPIPE ignored) is an I/O error, said in one line: a script or a
 * report a pipeline saves must not end short with exit 0. A write that
 * failed earlier keeps its bytes and fails again in the flush, errno and
 * all.
 */
static void stdout_close(void)
{
	int err = 0;

	if (fflush(stdout))
		err = errno;
	else if (ferror(stdout))
		err = EIO;
	/* EBADF alone: stdout was closed and nothing was written to it. */
	if (fclose(stdout) && !err && errno != EBADF)
		err = errno;
	if (err) {
		fprintf(stderr, "rosfw: write error: %s\n", strerror(err));
		_exit(EXIT_IO);
	}
}

int main(int argc, char **argv)
{
	/* Static: stdout_close flushes it after main returns. */
	static char outbuf[1 << 16];
	size_t i;

	atexit(stdout_close);
	/* A help text or a short report stays whole in the buffer until
	 * stdout_close, which then sees the real error (ENOSPC) of a write
	 * that fails; a failure inside a long fputs leaves only the flag.
	 * (glibc sizes a NULL buffer after the file's block, 4 KB.) */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (argc < 2)
		return usage(stderr, EXIT_IO);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout, EXIT_OK);
	if (!strcmp(argv[1], "--version")) {
		puts("rosfw " ROSFW_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "rosfw: unknown command \"%s\"\n", argv[1]);
	return usage(stderr, EXIT_IO);
}
