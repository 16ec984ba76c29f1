/* SPDX-License-Identifier: MIT */
/*
 * newc cpio for POWER PEF: the archive svm-tool prepends to an initramfs to
 * carry the ESM blob at opt/ibm/pef/<name>, and the Ultravisor's scan of it.
 *
 * Not libarchive, on purpose (measured, see the libcgs notes): libarchive's
 * newc writer gives the same bytes except lower-case hex in the headers, where
 * GNU cpio and svm-tool (the reference the Ultravisor's parser was checked
 * against) write upper case; and its reader accepts what the Ultravisor
 * refuses (odc, binary and crc cpio, compressed archives) and does not give
 * the offsets the scan must report (the blob, the 512-rounded end).
 */
#ifndef CGS_LIB_PEF_CPIO_H
#define CGS_LIB_PEF_CPIO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/buf.h"
#include "lib/core/err.h"

#define CPIO_ESM_DIR "opt/ibm/pef"
#define CPIO_BLOCK 512

/* Does data start with a newc header magic ("070701")? */
int cpio_is_newc(const uint8_t *data, size_t len);

/*
 * Append a deterministic newc archive: ".", "opt", "opt/ibm", "opt/ibm/pef",
 * "opt/ibm/pef/<name>" (the blob), "TRAILER!!!", zero-padded to 512 bytes.
 * Inode numbers count from 1, mtime 0, uid/gid 0.
 */
enum cgs_err cpio_esm_build(const char *name, const uint8_t *blob, size_t len,
			    struct cgs_buf *out, struct cgs_diag *d);

struct cpio_esm_scan {
	size_t blob_off;   /* where the blob's FDT magic is */
	size_t blob_len;   /* its FDT totalsize */
	size_t initrd_off; /* end of the ESM archive, rounded up to 512 */
	char name[128];    /* the entry holding the blob */
};

/*
 * Scan with the Ultravisor's rules: newc headers only; the first entry with
 * data must be under opt/ibm/pef and contain the FDT magic at a 4-aligned
 * position; stop at TRAILER!!!; round the end up to 512. data may be just a
 * prefix of the initrd; CGS_E_MALFORMED if it does not hold the whole archive.
 */
enum cgs_err cpio_esm_scan(const uint8_t *data, size_t len, struct cpio_esm_scan *ret,
			   struct cgs_diag *d);

#endif
