/* Process-wide set-up of the libraries fetchpool uses: libcurl and libxml2
 * both need one initialisation before threads use them, and neither's is
 * safe to race. Call fp_init() once, before any other thread starts, and
 * fp_cleanup() once, after every thread has been joined. */
#ifndef FP_INIT_H
#define FP_INIT_H

/* FP_OK or FP_ENOMEM. */
int fp_init(void);
void fp_cleanup(void);

#endif
