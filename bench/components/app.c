// bench/components `app`: a command component that calls lib's
// bench:comp/api.process N times (N = argv[1], default 1000000) with a
// 16-byte string and a list of 4 records, each with a string of its own,
// and prints the sum of the results. Every call makes the adapter copy
// 5 strings and 1 list into lib's memory (6 calls of lib's cabi_realloc),
// which lib frees before it returns.
#include "app.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static app_string_t str(const char *s) {
    app_string_t r = {(uint8_t *)s, strlen(s)};
    return r;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    app_string_t name = str("bench-components");
    bench_comp_api_item_t items[4] = {
        {str("apple"), 3, 0.5}, {str("banana"), 4, 1.25}, {str("cherry"), 5, 2.0}, {str("date-plum"), 6, 0.125}};
    bench_comp_api_list_item_t list = {items, 4};
    uint64_t sum = 0;
    for (long i = 0; i < n; i++) {
        items[i & 3].count = (uint32_t)i;
        sum += bench_comp_api_process(&name, &list);
    }
    printf("calls %ld checksum %llu\n", n, (unsigned long long)sum);
    return 0;
}
