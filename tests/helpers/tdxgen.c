// SPDX-License-Identifier: MIT
/*
 * Test-data generator for the cgs-measure --mode tdx tests (never installed):
 *
 *   tdxgen fw OUT [--no-tdx] [--bad-guid] [--truncate] [--overlap]
 *                 [--unaligned] [--version N] [--pk] [--fill N]
 *   tdxgen kernel OUT [SIZE [CERT]]
 *   tdxgen acpi OUT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helpers/tdx_synth.h"

static int write_out(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n) {
		perror(path);
		return 1;
	}
	return fclose(f) != 0;
}

static int fw(int argc, char **argv)
{
	static uint8_t img[SYNTH_FW_SIZE];
	struct synth_fw o;

	memset(&o, 0, sizeof(o));
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--no-tdx"))
			o.no_tdx = 1;
		else if (!strcmp(argv[i], "--bad-guid"))
			o.bad_guid = 1;
		else if (!strcmp(argv[i], "--truncate"))
			o.truncate = 1;
		else if (!strcmp(argv[i], "--overlap"))
			o.overlap = 1;
		else if (!strcmp(argv[i], "--unaligned"))
			o.unaligned = 1;
		else if (!strcmp(argv[i], "--pk"))
			o.with_pk = 1;
		else if (!strcmp(argv[i], "--version") && i + 1 < argc)
			o.version = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--fill") && i + 1 < argc)
			o.fill = (uint8_t)atoi(argv[++i]);
		else
			return fprintf(stderr, "tdxgen: unknown option %s\n", argv[i]), 2;
	}
	if (synth_firmware(img, &o))
		return fprintf(stderr, "tdxgen: cannot build the image\n"), 1;
	return write_out(argv[2], img, sizeof(img));
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "fw"))
		return fw(argc, argv);
	if (argc >= 3 && !strcmp(argv[1], "kernel")) {
		size_t size = argc > 3 ? strtoul(argv[3], NULL, 0) : 0x10000;
		uint32_t cert = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 0) : 0x100;
		uint8_t *k = size >= 0x3000 ? malloc(size) : NULL;
		int rc;

		if (!k)
			return fprintf(stderr, "tdxgen: kernel size below 0x3000\n"), 2;
		synth_kernel(k, size, cert);
		rc = write_out(argv[2], k, size);
		free(k);
		return rc;
	}
	if (argc == 3 && !strcmp(argv[1], "acpi")) {
		static uint8_t b[0x4000];

		return write_out(argv[2], b, synth_acpi(b, sizeof(b)));
	}
	fprintf(stderr, "usage: tdxgen fw|kernel|acpi OUT [option]...\n");
	return 2;
}
