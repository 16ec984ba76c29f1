// SPDX-License-Identifier: MIT
/* cgs-mkimage: IBM Z Secure Execution images and POWER PEF ESM blobs. */
#include "cmd/mkimage/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/log.h"

static const struct cgs_verb verbs[] = {
	{ "s390-pv", verb_s390_pv, "build an IBM Z Secure Execution boot image", 0 },
	{ "s390-info", verb_s390_info, "show a Secure Execution image or header", 0 },
	{ "s390-extract-header", verb_s390_extract_header,
	  "extract the Secure Execution header of an image", 0 },
	{ "s390-secret", verb_s390_secret, "create an add-secret request for a Secure "
	  "Execution guest", 0 },
	{ "pef", verb_pef, "build a POWER PEF ESM blob and attach it", 0 },
	{ "pef-info", verb_pef_info, "show an ESM blob without its secrets", 0 },
	{ "pef-keygen", verb_pef_keygen, "generate an RSA key pair for an ESM blob owner", 0 },
	{ "pef-authorize", verb_pef_authorize, "authorise one more key to open an ESM blob", 0 },
	{ "pef-revoke", verb_pef_revoke, "remove a recipient's lockbox from an ESM blob", 0 },
	{ NULL, NULL, NULL, 0 },
};

static const struct cgs_tool tool = {
	"cgs-mkimage",
	"Build IBM Z Secure Execution images and POWER PEF ESM blobs.",
	verbs,
	NULL,
};

int main(int argc, char **argv)
{
	cgs_log_set_prog("cgs-mkimage");
	return cgs_cli_dispatch(&tool, argc, argv);
}
