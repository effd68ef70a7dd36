/* Exit codes: `exit N` calls exit(N) after printing (stdio is flushed by
 * exit); `return N` returns N from main; `abort` calls abort(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: exit (exit|return|abort) N\n");
        return 2;
    }
    int n = atoi(argv[2]);
    printf("about to %s %d\n", argv[1], n);
    fprintf(stderr, "stderr before %s\n", argv[1]);
    if (!strcmp(argv[1], "exit")) exit(n);
    if (!strcmp(argv[1], "abort")) abort();
    return n;
}
