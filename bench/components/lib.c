// bench/components `lib`: exports bench:comp/api.process. Built twice from
// this file: with UTF-8 strings (lib.component.wasm) and with UTF-16 strings
// (`wit-bindgen c --string-encoding utf16`: lib16.component.wasm), so that
// every string app sends is transcoded by the adapter. The hash runs over
// code units, which for the ASCII strings of app.c are the same in both.
// The arguments are owned by the callee (canonical ABI): freed here.
#include "lib.h"

uint64_t exports_bench_comp_api_process(lib_string_t *name, exports_bench_comp_api_list_item_t *items) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < name->len; i++) h = (h ^ name->ptr[i]) * 1099511628211ull;
    for (size_t i = 0; i < items->len; i++) {
        exports_bench_comp_api_item_t *it = &items->ptr[i];
        h = (h ^ it->count) * 1099511628211ull;
        h = (h ^ (uint64_t)(it->weight * 1000.0)) * 1099511628211ull;
        for (size_t j = 0; j < it->name.len; j++) h = (h ^ it->name.ptr[j]) * 1099511628211ull;
    }
    lib_string_free(name);
    exports_bench_comp_api_list_item_free(items);
    return h;
}
