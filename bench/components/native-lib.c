// process() of lib.c for bench/components/native.c (see there).
#include "native.h"
#include <stdlib.h>

uint64_t process(str_t *name, item_t *items, size_t len) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < name->len; i++) h = (h ^ name->ptr[i]) * 1099511628211ull;
    for (size_t i = 0; i < len; i++) {
        item_t *it = &items[i];
        h = (h ^ it->count) * 1099511628211ull;
        h = (h ^ (uint64_t)(it->weight * 1000.0)) * 1099511628211ull;
        for (size_t j = 0; j < it->name.len; j++) h = (h ^ it->name.ptr[j]) * 1099511628211ull;
    }
#ifdef COPY
    free(name->ptr);
    for (size_t i = 0; i < len; i++) free(items[i].name.ptr);
    free(items);
#endif
    return h;
}
