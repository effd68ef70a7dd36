/* Prints something else than tiny.wat. */
#include <stdio.h>

int main(void) {
    puts("tiny 43");
    return 0;
}
