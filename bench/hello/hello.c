/* Hello world, for the size and start-up of the smallest real program:
 * built for wasm32-wasi (wasi-libc's printf) and natively. */
#include <stdio.h>

int main(void) {
    printf("Hello, world!\n");
    return 0;
}
