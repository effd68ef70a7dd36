/* fib: naive doubly recursive Fibonacci, the classic call-heavy kernel.
 * Built for wasm32-wasi by build.sh (clang-14 -O2); bench/wpo.sh compares
 * it with this source built natively. */
#include <stdio.h>
#include <stdlib.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 38;
    printf("%d\n", fib(n));
    return 0;
}
