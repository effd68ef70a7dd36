// The `lib` component: writes to output streams it is lent (borrow) or
// given (own); WASI 0.2 straight through wit-bindgen's bindings.
#include "lib.h"
#include <stdlib.h>
#include <string.h>

static void write_all(wasi_io_streams_borrow_output_stream_t out, const uint8_t *p, size_t n) {
    lib_list_u8_t bytes = {(uint8_t *)p, n};
    wasi_io_streams_stream_error_t err;
    if (!wasi_io_streams_method_output_stream_blocking_write_and_flush(out, &bytes, &err)) abort();
}

void exports_test_log_log_write_line(exports_test_log_log_borrow_output_stream_t out, lib_string_t *msg) {
    write_all(out, (const uint8_t *)"lib (borrowed stream): ", 23);
    write_all(out, msg->ptr, msg->len);
    write_all(out, (const uint8_t *)"\n", 1);
    lib_string_free(msg);
    // A borrow must be dropped before the call returns.
    wasi_io_streams_output_stream_drop_borrow(out);
}

void exports_test_log_log_write_and_close(exports_test_log_log_own_output_stream_t out, lib_string_t *msg) {
    wasi_io_streams_borrow_output_stream_t b = wasi_io_streams_borrow_output_stream(out);
    write_all(b, (const uint8_t *)"lib (owned stream): ", 20);
    write_all(b, msg->ptr, msg->len);
    write_all(b, (const uint8_t *)"\n", 1);
    lib_string_free(msg);
    wasi_io_streams_output_stream_drop_own(out);
}
