// bench/components `native`: app.c and lib.c as one C program (the floor:
// clang -O2, native code), with process() in native-lib.c so it is a real
// call. With -DCOPY, the caller copies the arguments into fresh malloc'd
// memory the way the canonical ABI lowers them (the string, the list, each
// record's string) and process() frees them, as lib does: what the adapter
// does, written by hand. Built for wasm32-wasi too (one core module).
#include "native.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static str_t str(const char *s) {
    str_t r = {(uint8_t *)s, strlen(s)};
    return r;
}

#ifdef COPY
static str_t dup(const str_t *s) {
    str_t r = {malloc(s->len), s->len};
    memcpy(r.ptr, s->ptr, s->len);
    return r;
}
#endif

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    str_t name = str("bench-components");
    item_t items[4] = {
        {str("apple"), 3, 0.5}, {str("banana"), 4, 1.25}, {str("cherry"), 5, 2.0}, {str("date-plum"), 6, 0.125}};
    uint64_t sum = 0;
    for (long i = 0; i < n; i++) {
        items[i & 3].count = (uint32_t)i;
#ifdef COPY
        str_t n2 = dup(&name);
        item_t *l2 = malloc(sizeof items);
        for (int k = 0; k < 4; k++) {
            l2[k] = items[k];
            l2[k].name = dup(&items[k].name);
        }
        sum += process(&n2, l2, 4);
#else
        sum += process(&name, items, 4);
#endif
    }
    printf("calls %ld checksum %llu\n", n, (unsigned long long)sum);
    return 0;
}
