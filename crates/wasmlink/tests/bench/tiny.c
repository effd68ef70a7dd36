/* tiny.wat in C: prints the same line. */
#include <stdio.h>

int main(void) {
    puts("tiny 42");
    return 0;
}
