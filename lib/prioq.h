/* Priority queue of FP_PRIO_LEVELS FIFO lists with intrusive nodes: O(1)
 * push, pop, remove and move between levels. Not thread-safe: the scheduler
 * guards it with its own mutex. Level 1 is the highest priority. */
#ifndef FP_PRIOQ_H
#define FP_PRIOQ_H
#include <stddef.h>

#define FP_PRIO_LEVELS 5
#define FP_PRIO_DEFAULT 3

/* Embedded in the caller's item; fields are private. */
struct fp_prioq_node {
	struct fp_prioq_node *prev, *next;
	int level;
};

struct fp_prioq {
	struct fp_prioq_node *head[FP_PRIO_LEVELS], *tail[FP_PRIO_LEVELS];
	size_t count[FP_PRIO_LEVELS];
	size_t len;
};

/* Empty queue. */
void fp_prioq_init(struct fp_prioq *q);

/* Append NODE at the tail of LEVEL (1..FP_PRIO_LEVELS, checked by caller). */
void fp_prioq_push(struct fp_prioq *q, struct fp_prioq_node *node, int level);

/* Insert NODE at the head of LEVEL: it comes back to where it was. */
void fp_prioq_push_front(struct fp_prioq *q, struct fp_prioq_node *node,
			 int level);

/* Head of the highest non-empty level, or NULL; does not remove it. */
struct fp_prioq_node *fp_prioq_peek(const struct fp_prioq *q);

/* Unlink NODE, which must be in Q. */
void fp_prioq_remove(struct fp_prioq *q, struct fp_prioq_node *node);

/* Move NODE (in Q) to the tail of LEVEL. */
void fp_prioq_move(struct fp_prioq *q, struct fp_prioq_node *node, int level);

#endif
