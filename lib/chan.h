/* Bounded multi-producer multi-consumer channel of pointers.
 *
 * Contract:
 * - send blocks while the channel is full; recv blocks while it is empty.
 * - close wakes every blocked sender and receiver. After close, send fails
 *   with FP_ECLOSED (the item stays the caller's); receivers first drain what
 *   is buffered, then get FP_ECLOSED.
 * - capacity 0 is a rendezvous: send returns FP_OK only once a receiver has
 *   taken the item; if the channel closes first the send fails and the item
 *   stays the caller's.
 * - Ownership: a successful send hands the item to the channel; a successful
 *   recv hands it to the receiver. Items still buffered at destroy are passed
 *   to the free hook given at create (if any).
 * - Every function is thread-safe except destroy, which must be the last call
 *   (no thread may still be blocked in the channel).
 */
#ifndef FP_CHAN_H
#define FP_CHAN_H
#include <stddef.h>
#include <stdint.h>

struct fp_chan;

/* Create a channel holding at most CAPACITY items (0 = rendezvous).
 * FREE_ITEM (may be NULL) disposes of items left at destroy.
 * Returns FP_OK and sets *out, or FP_ENOMEM leaving *out NULL. */
int fp_chan_create(struct fp_chan **out, size_t capacity,
		   void (*free_item)(void *item));

/* Send ITEM (any pointer, NULL included). FP_OK or FP_ECLOSED. */
int fp_chan_send(struct fp_chan *ch, void *item);

/* As fp_chan_send(), but a receiver blocked in fp_chan_recv() is not
 * woken for ITEM until the channel is half full: for a receiver that
 * waits with fp_chan_recv_until() and a short deadline, and takes items
 * in batches (a wake-up per item costs two context switches). A rendezvous
 * channel always wakes. */
int fp_chan_send_quiet(struct fp_chan *ch, void *item);

/* Send without blocking: FP_OK, FP_EBUSY when full (always for a
 * rendezvous channel: nobody may be waiting), or FP_ECLOSED. For threads
 * that must never wait on the channel's receiver. */
int fp_chan_try_send(struct fp_chan *ch, void *item);

/* Receive into *item. FP_OK, or FP_ECLOSED once closed and drained. */
int fp_chan_recv(struct fp_chan *ch, void **item);

/* Like fp_chan_recv but gives up at DEADLINE_MS (monotonic ms, see
 * fp_now_ms()) with FP_ETIMEDOUT. */
int fp_chan_recv_until(struct fp_chan *ch, void **item, int64_t deadline_ms);

/* Close the channel (idempotent). */
void fp_chan_close(struct fp_chan *ch);

/* Items buffered now (a snapshot). */
size_t fp_chan_len(struct fp_chan *ch);

/* Number of threads blocked in send / recv now (a snapshot; for tests that
 * must wait until a thread is parked before acting). */
size_t fp_chan_waiting_senders(struct fp_chan *ch);
size_t fp_chan_waiting_receivers(struct fp_chan *ch);

/* Free the channel and, through the free hook, every buffered item.
 * NULL is fine. */
void fp_chan_destroy(struct fp_chan *ch);

#endif
