#include "share.h"
#include "error.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>

struct fp_share {
	CURLSH *sh;
	pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
};

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access acc,
		       void *p)
{
	struct fp_share *s = p;

	(void)h;
	(void)acc;
	pthread_mutex_lock(&s->locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *p)
{
	struct fp_share *s = p;

	(void)h;
	pthread_mutex_unlock(&s->locks[data]);
}

int fp_share_create(struct fp_share **out)
{
	struct fp_share *s = calloc(1, sizeof(*s));
	int i;

	*out = NULL;
	if (!s)
		return FP_ENOMEM;
	s->sh = curl_share_init();
	if (!s->sh) {
		free(s);
		return FP_ENOMEM;
	}
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&s->locks[i], NULL);
	curl_share_setopt(s->sh, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(s->sh, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(s->sh, CURLSHOPT_USERDATA, s);
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	*out = s;
	return FP_OK;
}

void *fp_share_handle(struct fp_share *s)
{
	return s->sh;
}

void fp_share_destroy(struct fp_share *s)
{
	int i;

	if (!s)
		return;
	curl_share_cleanup(s->sh);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&s->locks[i]);
	free(s);
}
