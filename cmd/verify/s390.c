// SPDX-License-Identifier: MIT
/* Placeholder until this verb's issue lands. */
#include "cmd/verify/verbs.h"
#include "lib/exit.h"
#include "lib/log.h"

int verb_s390(int argc, char **argv)
{
	(void)argc;
	cgs_log_error("'%s' is not implemented yet", argv[0]);
	return CGS_EXIT_FAILURE;
}
