// SPDX-License-Identifier: MIT
/* cgs-mkimage s390-info and s390-extract-header. */
#include "cmd/mkimage/verbs.h"
#include "lib/exit.h"
#include "lib/log.h"

int verb_s390_info(int argc, char **argv)
{
	(void)argc;
	cgs_log_error("'%s' is not implemented yet", argv[0]);
	return CGS_EXIT_FAILURE;
}

int verb_s390_extract_header(int argc, char **argv)
{
	(void)argc;
	cgs_log_error("'%s' is not implemented yet", argv[0]);
	return CGS_EXIT_FAILURE;
}
