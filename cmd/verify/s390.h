/* SPDX-License-Identifier: MIT */
/* The sub-verbs of "cgs-verify s390". */
#ifndef CGS_CMD_VERIFY_S390_H
#define CGS_CMD_VERIFY_S390_H

#include <stddef.h>
#include <stdint.h>

int verb_s390_create_request(int argc, char **argv);
int verb_s390_verify(int argc, char **argv);

#endif
