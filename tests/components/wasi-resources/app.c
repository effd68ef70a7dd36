// The `app` component: lends its stdout stream to `lib` twice, keeps using
// it, then gives `lib` another stdout stream for good.
#include "app.h"
#include <stdio.h>
#include <string.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("app: start\n");
    wasi_cli_stdout_own_output_stream_t out = wasi_cli_stdout_get_stdout();
    app_string_t m1 = {(uint8_t *)"first line", 10};
    test_log_log_write_line(wasi_io_streams_borrow_output_stream(out), &m1);
    app_string_t m2 = {(uint8_t *)"second line", 11};
    test_log_log_write_line(wasi_io_streams_borrow_output_stream(out), &m2);
    // The stream came back: app writes to it itself.
    app_list_u8_t mine = {(uint8_t *)"app: own write to the stream it lent\n", 37};
    wasi_io_streams_stream_error_t err;
    if (!wasi_io_streams_method_output_stream_blocking_write_and_flush(
            wasi_io_streams_borrow_output_stream(out), &mine, &err))
        return 1;
    test_log_log_write_and_close(out, &(app_string_t){(uint8_t *)"moved for good", 14});
    printf("app: end\n");
    return 0;
}
