/* SPDX-License-Identifier: MIT */
/* The verbs of this tool, one file per area. */
#ifndef CGS_CMD_MKIMAGE_VERBS_H
#define CGS_CMD_MKIMAGE_VERBS_H

int verb_s390_pv(int argc, char **argv);
int verb_s390_info(int argc, char **argv);
int verb_s390_extract_header(int argc, char **argv);
int verb_s390_secret(int argc, char **argv);
int verb_pef(int argc, char **argv);
int verb_pef_info(int argc, char **argv);
int verb_pef_keygen(int argc, char **argv);
int verb_pef_authorize(int argc, char **argv);
int verb_pef_revoke(int argc, char **argv);

#endif
