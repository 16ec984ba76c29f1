/* SPDX-License-Identifier: MIT */
/* The verbs of this tool, one file per area. */
#ifndef CGS_CMD_VERIFY_VERBS_H
#define CGS_CMD_VERIFY_VERBS_H

int verb_snp(int argc, char **argv);
int verb_snp_fetch(int argc, char **argv); /* cgs-verify snp fetch */
int verb_sev(int argc, char **argv);
int verb_sev_chain(int argc, char **argv);
int verb_s390(int argc, char **argv);
int verb_pef(int argc, char **argv);
int verb_tdx(int argc, char **argv);
int verb_tdx_show(int argc, char **argv);
int verb_tdx_fetch(int argc, char **argv);

#endif
