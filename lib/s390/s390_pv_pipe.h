/* SPDX-License-Identifier: MIT */
/*
 * A two-stage pipeline for building SE images: the caller's thread reads,
 * encrypts (AES-XTS) and writes each chunk of component pages, while a second
 * thread hashes the stored bytes into the PLD (SHA-512, the costliest step).
 * The chunks pass through a ring of S390_PV_PIPE_SLOTS fixed buffers, so
 * memory does not grow with the image, and the PLD sees the pages in the
 * order they were handed over.
 */
#ifndef CGS_LIB_S390_S390_PV_PIPE_H
#define CGS_LIB_S390_S390_PV_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"
#include "lib/s390/s390_pv_crypto.h"

#define S390_PV_PIPE_SLOTS 4u
#define S390_PV_PIPE_CHUNK_PAGES 64u /* 256 KiB per buffer */

struct s390_pv_pipe;

/* Start the hashing thread, feeding dig's PLD. */
enum cgs_err s390_pv_pipe_start(struct s390_pv_digests *dig, struct s390_pv_pipe **ret,
				struct cgs_diag *d);
/*
 * The next buffer to fill (S390_PV_PIPE_CHUNK_PAGES pages); waits until the
 * hasher is done with it. Use it until the next call of s390_pv_pipe_get.
 */
uint8_t *s390_pv_pipe_get(struct s390_pv_pipe *p);
/* Hand the first npages of the buffer from s390_pv_pipe_get to the hasher (it stays readable). */
void s390_pv_pipe_put(struct s390_pv_pipe *p, size_t npages);
/* Wait until every handed-over page is hashed, stop the thread and free p (wiping the buffers). */
enum cgs_err s390_pv_pipe_finish(struct s390_pv_pipe *p, struct cgs_diag *d);

#endif
