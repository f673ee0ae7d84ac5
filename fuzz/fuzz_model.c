/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: any bytes through the parser, the model and, when
 * the model is clean, lowering, nft text and the netlink batch apply would
 * send. Nothing may crash, hang, leak or read outside the input. What the
 * text says is checked by tests/fuzz-smoke.sh: nft -c must take every
 * script rosfw compiles from the inputs the run kept. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "dump.h"
#include "emit_nl.h"
#include "emit_text.h"
#include "lower.h"
#include "model.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A script's loops stop at a step budget that a fuzzed loop bound reaches
 * at once: a small one keeps every input fast, and the stop itself is
 * what is fuzzed. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("ROSFW_SCRIPT_STEPS", "20000", 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag *d = diag_new(20);
	struct model *m = model_new(d);
	FILE *devnull = fopen("/dev/null", "w");

	model_run(m, diag_add_source(d, "fuzz.rsc", (const char *)data, size), (const char *)data, size);
	model_finish(m);
	if (devnull) {
		struct lower_opts o = { UNSUPPORTED_SKIP_RULE };
		struct ir *ir = diag_errors(d) ? NULL : lower_model(m, d, &o);

		/* Printing walks every location and every stored value; a clean
		 * model is lowered and emitted as well. */
		if (ir) {
			emit_text(ir, devnull, "fuzz.rsc");
			emit_nl_free(emit_nl_build(ir, 1, false));
		}
		ir_free(ir);
		diag_print(d, devnull);
		dump_model(m, devnull);
		fclose(devnull);
	}
	model_free(m);
	diag_free(d);
	return 0;
}
