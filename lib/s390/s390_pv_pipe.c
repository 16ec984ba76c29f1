// SPDX-License-Identifier: MIT
#include "lib/s390/s390_pv_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/core/crypto.h"

#define CHUNK ((size_t)S390_PV_PIPE_CHUNK_PAGES * S390_PV_PAGE)

struct s390_pv_pipe {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	struct s390_pv_digests *dig;
	uint8_t *buf;			  /* SLOTS * CHUNK */
	size_t pages[S390_PV_PIPE_SLOTS]; /* of each handed-over slot */
	size_t head, tail, filled;	  /* next to fill, next to hash, waiting */
	int done;			  /* no more slots will come */
	enum cgs_err err;		  /* first hashing failure */
	struct cgs_diag diag;
};

static void *hasher(void *arg)
{
	struct s390_pv_pipe *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		size_t slot;

		while (!p->filled && !p->done)
			pthread_cond_wait(&p->cond, &p->lock);
		if (!p->filled)
			break;
		slot = p->tail;
		pthread_mutex_unlock(&p->lock);
		/* the slot is ours until filled drops: the producer only reads it meanwhile */
		if (!p->err)
			p->err = s390_pv_digests_stored(p->dig, p->buf + slot * CHUNK,
							p->pages[slot] * S390_PV_PAGE, &p->diag);
		pthread_mutex_lock(&p->lock);
		p->tail = (p->tail + 1) % S390_PV_PIPE_SLOTS;
		p->filled--;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/*
 * The hasher needs little stack: give it 256 KiB instead of the default 8 MiB,
 * which transparent huge pages may back with whole 2 MiB pages (peak memory).
 */
static int start_thread(struct s390_pv_pipe *p)
{
	pthread_attr_t a;
	int r = pthread_attr_init(&a);

	if (r)
		return r;
	r = pthread_attr_setstacksize(&a, 256u << 10);
	if (!r)
		r = pthread_create(&p->thread, &a, hasher, p);
	pthread_attr_destroy(&a);
	return r;
}

enum cgs_err s390_pv_pipe_start(struct s390_pv_digests *dig, struct s390_pv_pipe **ret,
				struct cgs_diag *d)
{
	struct s390_pv_pipe *p = calloc(1, sizeof(*p));

	if (!p || !(p->buf = malloc(S390_PV_PIPE_SLOTS * CHUNK))) {
		free(p);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	p->dig = dig;
	cgs_diag_clear(&p->diag);
	if (pthread_mutex_init(&p->lock, NULL)) {
		free(p->buf);
		free(p);
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "cannot create a mutex");
	}
	if (pthread_cond_init(&p->cond, NULL) || start_thread(p)) {
		pthread_mutex_destroy(&p->lock);
		free(p->buf);
		free(p);
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "cannot start the hashing thread");
	}
	*ret = p;
	return CGS_OK;
}

uint8_t *s390_pv_pipe_get(struct s390_pv_pipe *p)
{
	uint8_t *b;

	pthread_mutex_lock(&p->lock);
	while (p->filled == S390_PV_PIPE_SLOTS)
		pthread_cond_wait(&p->cond, &p->lock);
	b = p->buf + p->head * CHUNK;
	pthread_mutex_unlock(&p->lock);
	return b;
}

void s390_pv_pipe_put(struct s390_pv_pipe *p, size_t npages)
{
	pthread_mutex_lock(&p->lock);
	p->pages[p->head] = npages;
	p->head = (p->head + 1) % S390_PV_PIPE_SLOTS;
	p->filled++;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

enum cgs_err s390_pv_pipe_finish(struct s390_pv_pipe *p, struct cgs_diag *d)
{
	enum cgs_err err;

	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	err = p->err;
	if (err)
		*d = p->diag;
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	cgs_wipe(p->buf, S390_PV_PIPE_SLOTS * CHUNK);
	free(p->buf);
	free(p);
	return err;
}
