/* SPDX-License-Identifier: MIT */
/* The verbs of this tool, one file per area. */
#ifndef CGS_CMD_MEASURE_VERBS_H
#define CGS_CMD_MEASURE_VERBS_H

int verb_digest(int argc, char **argv);
int verb_ovmf_info(int argc, char **argv);
int verb_id_block(int argc, char **argv);

#endif
