/* Args: print argc and every argument. argv[0] is printed only when the
 * first argument is "--argv0" (it names the program, which differs between
 * runtimes unless the manifest fixes the argument list). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    int show0 = argc > 1 && strcmp(argv[1], "--argv0") == 0;
    printf("argc=%d\n", argc);
    printf("argv[0] %s\n", argc > 0 && argv[0][0] ? "present" : "missing");
    for (int i = show0 ? 0 : 1; i < argc; i++)
        printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    return 0;
}
