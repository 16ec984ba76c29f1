/* SPDX-License-Identifier: MIT */
/*
 * Option files (e.g. cgs-verify snp --policy-file): a YAML mapping, or a JSON
 * object (JSON is read as YAML flow), whose keys are the long option names of
 * a command without "--" and whose values are what the command line would
 * give: a scalar for an option with an argument, true (or false: not given)
 * for a flag, a list for a repeatable option. Applying a file calls the
 * command's on_option for each key in file order, exactly as the command line
 * does, so an option file carries every option and is validated the same way.
 * Part of the CLI driver (lib/core/cli): the option handlers may log.
 *
 *   # policy.yaml
 *   vmpl: 0
 *   min-tcb: bl=4,snp=22
 *   trusted-id-key: [id1.pem, id2.pem]
 *   require-id-block: true
 */
#ifndef CGS_LIB_CORE_OPTFILE_H
#define CGS_LIB_CORE_OPTFILE_H

#include "lib/core/cli.h"
#include "lib/core/err.h"

/* The option values handed to on_option, kept alive for the handlers that borrow them. */
struct cgs_optfile {
	char **v;
	size_t n;
};

/*
 * Apply the option file path to cmd; the values passed to on_option stay valid
 * until cgs_optfile_free(keep) (keep starts zeroed and may serve several files). Keys that are not options of cmd, or
 * are named in refused (NULL-terminated; may be NULL), are errors, as are
 * nested mappings, duplicate keys, a list for a flag and a non-boolean flag
 * value: CGS_E_MALFORMED with the key in d->field. CGS_E_NOINPUT if the file
 * cannot be read. When an option handler refuses a value (it has logged why),
 * CGS_E_MALFORMED too.
 */
enum cgs_err cgs_optfile_apply(const struct cgs_command *cmd, const char *path,
			       const char *const *refused, struct cgs_optfile *keep,
			       struct cgs_diag *d);
void cgs_optfile_free(struct cgs_optfile *keep);

#endif
