/* SPDX-License-Identifier: MIT */
/* The sub-verbs of "cgs-verify s390". */
#ifndef CGS_CMD_VERIFY_S390_H
#define CGS_CMD_VERIFY_S390_H

#include <stddef.h>
#include <stdint.h>

int verb_s390_create_request(int argc, char **argv);
int verb_s390_verify(int argc, char **argv);

/*
 * Read a file that must hold exactly len bytes (a key) into out; logs and
 * returns an exit code on failure, 0 on success. what names it in messages.
 */
int s390_read_exact(const char *path, uint8_t *out, size_t len, const char *what);

#endif
