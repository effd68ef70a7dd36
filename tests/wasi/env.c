/* Env: print the whole environment sorted, then look a few names up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    int n = 0;
    while (environ[n]) n++;
    char **v = malloc((n + 1) * sizeof *v);
    memcpy(v, environ, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp);
    printf("%d variables\n", n);
    for (int i = 0; i < n; i++) printf("%s\n", v[i]);
    const char *names[] = {"GREETING", "EMPTY", "WITH_EQUALS", "MISSING"};
    for (int i = 0; i < 4; i++) {
        const char *s = getenv(names[i]);
        printf("getenv(%s) = %s%s%s\n", names[i], s ? "\"" : "", s ? s : "NULL", s ? "\"" : "");
    }
    return 0;
}
