/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>

#include "sd_job.h"

void
sd_queue_init(struct sd_queue *q, uint32_t max_n, uint64_t max_bytes)
{
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	q->head = q->tail = NULL;
	q->n = 0;
	q->bytes = 0;
	q->max_n = max_n;
	q->max_bytes = max_bytes;
	q->closed = false;
}

int
sd_queue_push(struct sd_queue *q, struct sd_job *j)
{
	pthread_mutex_lock(&q->lock);
	if (q->closed || q->n >= q->max_n || q->bytes + j->len > q->max_bytes) {
		pthread_mutex_unlock(&q->lock);
		return -1;
	}
	j->next = NULL;
	if (q->tail != NULL)
		q->tail->next = j;
	else
		q->head = j;
	q->tail = j;
	q->n++;
	q->bytes += j->len;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	return 0;
}

struct sd_job *
sd_queue_pop(struct sd_queue *q)
{
	struct sd_job *j;

	pthread_mutex_lock(&q->lock);
	while (q->head == NULL && !q->closed)
		pthread_cond_wait(&q->wake, &q->lock);
	j = q->head;
	if (j != NULL) {
		q->head = j->next;
		if (q->head == NULL)
			q->tail = NULL;
		q->n--;
		q->bytes -= j->len;
	}
	pthread_mutex_unlock(&q->lock);
	return j;
}

void
sd_queue_close(struct sd_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->wake);
	pthread_mutex_unlock(&q->lock);
}

void
sd_job_free(struct sd_job *j)
{
	if (j == NULL)
		return;
	gd_rules_unref(j->rules);
	free(j->data);
	free(j);
}
