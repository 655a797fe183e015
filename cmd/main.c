#include "config.h"
#include "fetchpool.h"
#include <stdio.h>

int main(void)
{
	printf("fetchpool %s\n", PACKAGE_VERSION);
	return 0;
}
