#include "prioq.h"

#include <string.h>

void fp_prioq_init(struct fp_prioq *q)
{
	memset(q, 0, sizeof(*q));
}

void fp_prioq_push(struct fp_prioq *q, struct fp_prioq_node *node, int level)
{
	int i = level - 1;

	node->level = level;
	node->next = NULL;
	node->prev = q->tail[i];
	if (q->tail[i])
		q->tail[i]->next = node;
	else
		q->head[i] = node;
	q->tail[i] = node;
	q->count[i]++;
	q->len++;
}

void fp_prioq_push_front(struct fp_prioq *q, struct fp_prioq_node *node,
			 int level)
{
	int i = level - 1;

	node->level = level;
	node->prev = NULL;
	node->next = q->head[i];
	if (q->head[i])
		q->head[i]->prev = node;
	else
		q->tail[i] = node;
	q->head[i] = node;
	q->count[i]++;
	q->len++;
}

struct fp_prioq_node *fp_prioq_peek(const struct fp_prioq *q)
{
	int i;

	for (i = 0; i < FP_PRIO_LEVELS; i++)
		if (q->head[i])
			return q->head[i];
	return NULL;
}

void fp_prioq_remove(struct fp_prioq *q, struct fp_prioq_node *node)
{
	int i = node->level - 1;

	if (node->prev)
		node->prev->next = node->next;
	else
		q->head[i] = node->next;
	if (node->next)
		node->next->prev = node->prev;
	else
		q->tail[i] = node->prev;
	node->prev = node->next = NULL;
	q->count[i]--;
	q->len--;
}

void fp_prioq_move(struct fp_prioq *q, struct fp_prioq_node *node, int level)
{
	fp_prioq_remove(q, node);
	fp_prioq_push(q, node, level);
}
