//! The WASI 0.2 functions the runtime provides in lowered form: one row per
//! function as a core module imports it (wit-bindgen's output, or a
//! component's `canon lower` of a WASI import), expanded by both sides: the
//! resolver's table of lowered builtins and the runtime's exported
//! `wasmlink_wasi2_*` functions.
//!
//! The rows are written here by hand and checked against the real WIT by
//! `tests/wasi2_wit.rs` (the newest 0.2.x WIT, parsed with `wit-parser`
//! and flattened with the canonical ABI's rules): same interfaces, same
//! core names, same flattened signatures, nothing missing or extra.

/// The major and minor version of the WASI 0.2 interfaces. An import of
/// `wasi:PKG/IFACE@0.2.N` is matched for any patch `N` (semver: 0.x
/// versions with the same minor are compatible), as wasmtime does.
pub const WASI2_VERSION_PREFIX: &str = "0.2.";

/// Expand `$mac!` with one row per lowered WASI 0.2 function:
///
/// ```text
/// "wasi:io/streams" "[method]output-stream.write" NAME [SYMBOL]
///     (this: i32, contents_0: i32, contents_1: i32, ret: i32) -> ();
/// ```
///
/// * the interface without its version, and the function's name as it
///   appears in a core import (`[method]R.F`, `[static]R.F`,
///   `[constructor]R`, `[resource-drop]R`, or a plain name);
/// * `NAME`, an identifier unique over all rows (package, interface and
///   function, `-` as `_`), and `SYMBOL`, the runtime's export,
///   `concat!("wasmlink_wasi2_", NAME)`;
/// * the flattened core signature per the canonical ABI: parameters as
///   `i32`/`i64` (more than 16 flat parameters would be one `i32` pointer;
///   no WASI 0.2 function has that many), and a result of `()` or one core
///   type; a function whose results flatten to more than one value takes
///   a last `ret: i32` parameter, the address where it stores them.
///   Parameter names are the WIT's (`this` for `self`); a parameter that
///   flattens to several values is `NAME_0`, `NAME_1`, ….
///
/// The C function takes the call's [`LowerContext`](crate::LowerContext)
/// before the listed parameters:
/// `wasmlink_wasi2_cli_stdout_get_stdout(cx) -> i32`.
#[macro_export]
macro_rules! foreach_wasi2_fn {
    ($mac:ident) => {
        $crate::__wasi2_rows! { $mac
            // wasi:io/error
            "wasi:io/error" "[method]error.to-debug-string" io_error_error_to_debug_string(this: i32, ret: i32) -> ();
            "wasi:io/error" "[resource-drop]error" io_error_error_drop(handle: i32) -> ();

            // wasi:io/poll
            "wasi:io/poll" "[method]pollable.ready" io_poll_pollable_ready(this: i32) -> i32;
            "wasi:io/poll" "[method]pollable.block" io_poll_pollable_block(this: i32) -> ();
            "wasi:io/poll" "poll" io_poll_poll(in_0: i32, in_1: i32, ret: i32) -> ();
            "wasi:io/poll" "[resource-drop]pollable" io_poll_pollable_drop(handle: i32) -> ();

            // wasi:io/streams
            "wasi:io/streams" "[method]input-stream.read" io_streams_input_stream_read(this: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[method]input-stream.blocking-read" io_streams_input_stream_blocking_read(this: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[method]input-stream.skip" io_streams_input_stream_skip(this: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[method]input-stream.blocking-skip" io_streams_input_stream_blocking_skip(this: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[method]input-stream.subscribe" io_streams_input_stream_subscribe(this: i32) -> i32;
            "wasi:io/streams" "[method]output-stream.check-write" io_streams_output_stream_check_write(this: i32, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.write" io_streams_output_stream_write(this: i32, contents_0: i32, contents_1: i32, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.blocking-write-and-flush" io_streams_output_stream_blocking_write_and_flush(this: i32, contents_0: i32, contents_1: i32, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.flush" io_streams_output_stream_flush(this: i32, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.blocking-flush" io_streams_output_stream_blocking_flush(this: i32, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.subscribe" io_streams_output_stream_subscribe(this: i32) -> i32;
            "wasi:io/streams" "[method]output-stream.write-zeroes" io_streams_output_stream_write_zeroes(this: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.blocking-write-zeroes-and-flush" io_streams_output_stream_blocking_write_zeroes_and_flush(this: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.splice" io_streams_output_stream_splice(this: i32, src: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[method]output-stream.blocking-splice" io_streams_output_stream_blocking_splice(this: i32, src: i32, len: i64, ret: i32) -> ();
            "wasi:io/streams" "[resource-drop]input-stream" io_streams_input_stream_drop(handle: i32) -> ();
            "wasi:io/streams" "[resource-drop]output-stream" io_streams_output_stream_drop(handle: i32) -> ();

            // wasi:clocks/monotonic-clock
            "wasi:clocks/monotonic-clock" "now" clocks_monotonic_clock_now() -> i64;
            "wasi:clocks/monotonic-clock" "resolution" clocks_monotonic_clock_resolution() -> i64;
            "wasi:clocks/monotonic-clock" "subscribe-instant" clocks_monotonic_clock_subscribe_instant(when: i64) -> i32;
            "wasi:clocks/monotonic-clock" "subscribe-duration" clocks_monotonic_clock_subscribe_duration(when: i64) -> i32;

            // wasi:clocks/wall-clock
            "wasi:clocks/wall-clock" "now" clocks_wall_clock_now(ret: i32) -> ();
            "wasi:clocks/wall-clock" "resolution" clocks_wall_clock_resolution(ret: i32) -> ();

            // wasi:filesystem/types
            "wasi:filesystem/types" "[method]descriptor.read-via-stream" filesystem_types_descriptor_read_via_stream(this: i32, offset: i64, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.write-via-stream" filesystem_types_descriptor_write_via_stream(this: i32, offset: i64, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.append-via-stream" filesystem_types_descriptor_append_via_stream(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.advise" filesystem_types_descriptor_advise(this: i32, offset: i64, length: i64, advice: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.sync-data" filesystem_types_descriptor_sync_data(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.get-flags" filesystem_types_descriptor_get_flags(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.get-type" filesystem_types_descriptor_get_type(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.set-size" filesystem_types_descriptor_set_size(this: i32, size: i64, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.set-times" filesystem_types_descriptor_set_times(this: i32, data_access_timestamp_0: i32, data_access_timestamp_1: i64, data_access_timestamp_2: i32, data_modification_timestamp_0: i32, data_modification_timestamp_1: i64, data_modification_timestamp_2: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.read" filesystem_types_descriptor_read(this: i32, length: i64, offset: i64, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.write" filesystem_types_descriptor_write(this: i32, buffer_0: i32, buffer_1: i32, offset: i64, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.read-directory" filesystem_types_descriptor_read_directory(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.sync" filesystem_types_descriptor_sync(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.create-directory-at" filesystem_types_descriptor_create_directory_at(this: i32, path_0: i32, path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.stat" filesystem_types_descriptor_stat(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.stat-at" filesystem_types_descriptor_stat_at(this: i32, path_flags: i32, path_0: i32, path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.set-times-at" filesystem_types_descriptor_set_times_at(this: i32, path_flags: i32, path_0: i32, path_1: i32, data_access_timestamp_0: i32, data_access_timestamp_1: i64, data_access_timestamp_2: i32, data_modification_timestamp_0: i32, data_modification_timestamp_1: i64, data_modification_timestamp_2: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.link-at" filesystem_types_descriptor_link_at(this: i32, old_path_flags: i32, old_path_0: i32, old_path_1: i32, new_descriptor: i32, new_path_0: i32, new_path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.open-at" filesystem_types_descriptor_open_at(this: i32, path_flags: i32, path_0: i32, path_1: i32, open_flags: i32, flags: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.readlink-at" filesystem_types_descriptor_readlink_at(this: i32, path_0: i32, path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.remove-directory-at" filesystem_types_descriptor_remove_directory_at(this: i32, path_0: i32, path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.rename-at" filesystem_types_descriptor_rename_at(this: i32, old_path_0: i32, old_path_1: i32, new_descriptor: i32, new_path_0: i32, new_path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.symlink-at" filesystem_types_descriptor_symlink_at(this: i32, old_path_0: i32, old_path_1: i32, new_path_0: i32, new_path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.unlink-file-at" filesystem_types_descriptor_unlink_file_at(this: i32, path_0: i32, path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.is-same-object" filesystem_types_descriptor_is_same_object(this: i32, other: i32) -> i32;
            "wasi:filesystem/types" "[method]descriptor.metadata-hash" filesystem_types_descriptor_metadata_hash(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]descriptor.metadata-hash-at" filesystem_types_descriptor_metadata_hash_at(this: i32, path_flags: i32, path_0: i32, path_1: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[method]directory-entry-stream.read-directory-entry" filesystem_types_directory_entry_stream_read_directory_entry(this: i32, ret: i32) -> ();
            "wasi:filesystem/types" "filesystem-error-code" filesystem_types_filesystem_error_code(err: i32, ret: i32) -> ();
            "wasi:filesystem/types" "[resource-drop]descriptor" filesystem_types_descriptor_drop(handle: i32) -> ();
            "wasi:filesystem/types" "[resource-drop]directory-entry-stream" filesystem_types_directory_entry_stream_drop(handle: i32) -> ();

            // wasi:filesystem/preopens
            "wasi:filesystem/preopens" "get-directories" filesystem_preopens_get_directories(ret: i32) -> ();

            // wasi:sockets/network
            "wasi:sockets/network" "[resource-drop]network" sockets_network_network_drop(handle: i32) -> ();

            // wasi:sockets/instance-network
            "wasi:sockets/instance-network" "instance-network" sockets_instance_network_instance_network() -> i32;

            // wasi:sockets/ip-name-lookup
            "wasi:sockets/ip-name-lookup" "[method]resolve-address-stream.resolve-next-address" sockets_ip_name_lookup_resolve_address_stream_resolve_next_address(this: i32, ret: i32) -> ();
            "wasi:sockets/ip-name-lookup" "[method]resolve-address-stream.subscribe" sockets_ip_name_lookup_resolve_address_stream_subscribe(this: i32) -> i32;
            "wasi:sockets/ip-name-lookup" "resolve-addresses" sockets_ip_name_lookup_resolve_addresses(network: i32, name_0: i32, name_1: i32, ret: i32) -> ();
            "wasi:sockets/ip-name-lookup" "[resource-drop]resolve-address-stream" sockets_ip_name_lookup_resolve_address_stream_drop(handle: i32) -> ();

            // wasi:sockets/tcp
            "wasi:sockets/tcp" "[method]tcp-socket.start-bind" sockets_tcp_tcp_socket_start_bind(this: i32, network: i32, local_address_0: i32, local_address_1: i32, local_address_2: i32, local_address_3: i32, local_address_4: i32, local_address_5: i32, local_address_6: i32, local_address_7: i32, local_address_8: i32, local_address_9: i32, local_address_10: i32, local_address_11: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.finish-bind" sockets_tcp_tcp_socket_finish_bind(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.start-connect" sockets_tcp_tcp_socket_start_connect(this: i32, network: i32, remote_address_0: i32, remote_address_1: i32, remote_address_2: i32, remote_address_3: i32, remote_address_4: i32, remote_address_5: i32, remote_address_6: i32, remote_address_7: i32, remote_address_8: i32, remote_address_9: i32, remote_address_10: i32, remote_address_11: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.finish-connect" sockets_tcp_tcp_socket_finish_connect(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.start-listen" sockets_tcp_tcp_socket_start_listen(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.finish-listen" sockets_tcp_tcp_socket_finish_listen(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.accept" sockets_tcp_tcp_socket_accept(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.local-address" sockets_tcp_tcp_socket_local_address(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.remote-address" sockets_tcp_tcp_socket_remote_address(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.is-listening" sockets_tcp_tcp_socket_is_listening(this: i32) -> i32;
            "wasi:sockets/tcp" "[method]tcp-socket.address-family" sockets_tcp_tcp_socket_address_family(this: i32) -> i32;
            "wasi:sockets/tcp" "[method]tcp-socket.set-listen-backlog-size" sockets_tcp_tcp_socket_set_listen_backlog_size(this: i32, value: i64, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-enabled" sockets_tcp_tcp_socket_keep_alive_enabled(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-enabled" sockets_tcp_tcp_socket_set_keep_alive_enabled(this: i32, value: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-idle-time" sockets_tcp_tcp_socket_keep_alive_idle_time(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-idle-time" sockets_tcp_tcp_socket_set_keep_alive_idle_time(this: i32, value: i64, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-interval" sockets_tcp_tcp_socket_keep_alive_interval(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-interval" sockets_tcp_tcp_socket_set_keep_alive_interval(this: i32, value: i64, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.keep-alive-count" sockets_tcp_tcp_socket_keep_alive_count(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.set-keep-alive-count" sockets_tcp_tcp_socket_set_keep_alive_count(this: i32, value: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.hop-limit" sockets_tcp_tcp_socket_hop_limit(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.set-hop-limit" sockets_tcp_tcp_socket_set_hop_limit(this: i32, value: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.receive-buffer-size" sockets_tcp_tcp_socket_receive_buffer_size(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.set-receive-buffer-size" sockets_tcp_tcp_socket_set_receive_buffer_size(this: i32, value: i64, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.send-buffer-size" sockets_tcp_tcp_socket_send_buffer_size(this: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.set-send-buffer-size" sockets_tcp_tcp_socket_set_send_buffer_size(this: i32, value: i64, ret: i32) -> ();
            "wasi:sockets/tcp" "[method]tcp-socket.subscribe" sockets_tcp_tcp_socket_subscribe(this: i32) -> i32;
            "wasi:sockets/tcp" "[method]tcp-socket.shutdown" sockets_tcp_tcp_socket_shutdown(this: i32, shutdown_type: i32, ret: i32) -> ();
            "wasi:sockets/tcp" "[resource-drop]tcp-socket" sockets_tcp_tcp_socket_drop(handle: i32) -> ();

            // wasi:sockets/tcp-create-socket
            "wasi:sockets/tcp-create-socket" "create-tcp-socket" sockets_tcp_create_socket_create_tcp_socket(address_family: i32, ret: i32) -> ();

            // wasi:sockets/udp
            "wasi:sockets/udp" "[method]udp-socket.start-bind" sockets_udp_udp_socket_start_bind(this: i32, network: i32, local_address_0: i32, local_address_1: i32, local_address_2: i32, local_address_3: i32, local_address_4: i32, local_address_5: i32, local_address_6: i32, local_address_7: i32, local_address_8: i32, local_address_9: i32, local_address_10: i32, local_address_11: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.finish-bind" sockets_udp_udp_socket_finish_bind(this: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.stream" sockets_udp_udp_socket_stream(this: i32, remote_address_0: i32, remote_address_1: i32, remote_address_2: i32, remote_address_3: i32, remote_address_4: i32, remote_address_5: i32, remote_address_6: i32, remote_address_7: i32, remote_address_8: i32, remote_address_9: i32, remote_address_10: i32, remote_address_11: i32, remote_address_12: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.local-address" sockets_udp_udp_socket_local_address(this: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.remote-address" sockets_udp_udp_socket_remote_address(this: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.address-family" sockets_udp_udp_socket_address_family(this: i32) -> i32;
            "wasi:sockets/udp" "[method]udp-socket.unicast-hop-limit" sockets_udp_udp_socket_unicast_hop_limit(this: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.set-unicast-hop-limit" sockets_udp_udp_socket_set_unicast_hop_limit(this: i32, value: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.receive-buffer-size" sockets_udp_udp_socket_receive_buffer_size(this: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.set-receive-buffer-size" sockets_udp_udp_socket_set_receive_buffer_size(this: i32, value: i64, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.send-buffer-size" sockets_udp_udp_socket_send_buffer_size(this: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.set-send-buffer-size" sockets_udp_udp_socket_set_send_buffer_size(this: i32, value: i64, ret: i32) -> ();
            "wasi:sockets/udp" "[method]udp-socket.subscribe" sockets_udp_udp_socket_subscribe(this: i32) -> i32;
            "wasi:sockets/udp" "[method]incoming-datagram-stream.receive" sockets_udp_incoming_datagram_stream_receive(this: i32, max_results: i64, ret: i32) -> ();
            "wasi:sockets/udp" "[method]incoming-datagram-stream.subscribe" sockets_udp_incoming_datagram_stream_subscribe(this: i32) -> i32;
            "wasi:sockets/udp" "[method]outgoing-datagram-stream.check-send" sockets_udp_outgoing_datagram_stream_check_send(this: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]outgoing-datagram-stream.send" sockets_udp_outgoing_datagram_stream_send(this: i32, datagrams_0: i32, datagrams_1: i32, ret: i32) -> ();
            "wasi:sockets/udp" "[method]outgoing-datagram-stream.subscribe" sockets_udp_outgoing_datagram_stream_subscribe(this: i32) -> i32;
            "wasi:sockets/udp" "[resource-drop]udp-socket" sockets_udp_udp_socket_drop(handle: i32) -> ();
            "wasi:sockets/udp" "[resource-drop]incoming-datagram-stream" sockets_udp_incoming_datagram_stream_drop(handle: i32) -> ();
            "wasi:sockets/udp" "[resource-drop]outgoing-datagram-stream" sockets_udp_outgoing_datagram_stream_drop(handle: i32) -> ();

            // wasi:sockets/udp-create-socket
            "wasi:sockets/udp-create-socket" "create-udp-socket" sockets_udp_create_socket_create_udp_socket(address_family: i32, ret: i32) -> ();

            // wasi:random/insecure-seed
            "wasi:random/insecure-seed" "insecure-seed" random_insecure_seed_insecure_seed(ret: i32) -> ();

            // wasi:random/insecure
            "wasi:random/insecure" "get-insecure-random-bytes" random_insecure_get_insecure_random_bytes(len: i64, ret: i32) -> ();
            "wasi:random/insecure" "get-insecure-random-u64" random_insecure_get_insecure_random_u64() -> i64;

            // wasi:random/random
            "wasi:random/random" "get-random-bytes" random_random_get_random_bytes(len: i64, ret: i32) -> ();
            "wasi:random/random" "get-random-u64" random_random_get_random_u64() -> i64;

            // wasi:cli/environment
            "wasi:cli/environment" "get-environment" cli_environment_get_environment(ret: i32) -> ();
            "wasi:cli/environment" "get-arguments" cli_environment_get_arguments(ret: i32) -> ();
            "wasi:cli/environment" "initial-cwd" cli_environment_initial_cwd(ret: i32) -> ();

            // wasi:cli/exit
            "wasi:cli/exit" "exit" cli_exit_exit(status: i32) -> ();
            "wasi:cli/exit" "exit-with-code" cli_exit_exit_with_code(status_code: i32) -> ();

            // wasi:cli/stdin
            "wasi:cli/stdin" "get-stdin" cli_stdin_get_stdin() -> i32;

            // wasi:cli/stdout
            "wasi:cli/stdout" "get-stdout" cli_stdout_get_stdout() -> i32;

            // wasi:cli/stderr
            "wasi:cli/stderr" "get-stderr" cli_stderr_get_stderr() -> i32;

            // wasi:cli/terminal-input
            "wasi:cli/terminal-input" "[resource-drop]terminal-input" cli_terminal_input_terminal_input_drop(handle: i32) -> ();

            // wasi:cli/terminal-output
            "wasi:cli/terminal-output" "[resource-drop]terminal-output" cli_terminal_output_terminal_output_drop(handle: i32) -> ();

            // wasi:cli/terminal-stdin
            "wasi:cli/terminal-stdin" "get-terminal-stdin" cli_terminal_stdin_get_terminal_stdin(ret: i32) -> ();

            // wasi:cli/terminal-stdout
            "wasi:cli/terminal-stdout" "get-terminal-stdout" cli_terminal_stdout_get_terminal_stdout(ret: i32) -> ();

            // wasi:cli/terminal-stderr
            "wasi:cli/terminal-stderr" "get-terminal-stderr" cli_terminal_stderr_get_terminal_stderr(ret: i32) -> ();
        }
    };
}

/// The WASI 0.2 resource types, as `interface#name` without version: the
/// number a resource type passed between component instances has is
/// `WASI2_RESOURCE_OWNER << 16 | index` in this list (the resolver gives
/// it, the runtime checks handles against it).
pub const WASI2_RESOURCES: &[&str] = &[
    "wasi:io/error#error",
    "wasi:io/poll#pollable",
    "wasi:io/streams#input-stream",
    "wasi:io/streams#output-stream",
    "wasi:filesystem/types#descriptor",
    "wasi:filesystem/types#directory-entry-stream",
    "wasi:cli/terminal-input#terminal-input",
    "wasi:cli/terminal-output#terminal-output",
    "wasi:sockets/network#network",
    "wasi:sockets/tcp#tcp-socket",
    "wasi:sockets/udp#udp-socket",
    "wasi:sockets/udp#incoming-datagram-stream",
    "wasi:sockets/udp#outgoing-datagram-stream",
    "wasi:sockets/ip-name-lookup#resolve-address-stream",
];

/// The high 16 bits of a WASI resource type's number: no component
/// instance implements it (component instances are numbered below).
pub const WASI2_RESOURCE_OWNER: u32 = 0xffff;

/// Expand `$mac!` with the rows of the runtime's own lowered functions:
/// what generated code (fused adapters between component instances)
/// needs from the runtime beyond WASI, in the same row format as
/// [`foreach_wasi2_fn!`] under the interface `wasmlink:canon`. No source
/// can import them: the resolver binds them to generated modules only.
///
/// * `trap(code)`: end the program with the [`Trap`](crate::Trap) of that
///   code (an adapter found a value the canonical ABI forbids);
/// * `resource-new/rep/drop(ty, …)`: `canon resource.new/rep/drop` of a
///   resource type a component defines, in the caller's handle table
///   (`drop` returns `1 << 32 | rep` when the destructor must run);
/// * `resource-transfer-own/borrow(handle, ty, from, to)` and
///   `resource-enter-call`/`resource-exit-call`: the handle-table
///   intrinsics of fused adapters (see `wasmlink-adapter`).
#[macro_export]
macro_rules! foreach_canon_fn {
    ($mac:ident) => {
        $crate::__wasi2_rows! { $mac
            "wasmlink:canon" "trap" canon_trap(code: i32) -> ();
            "wasmlink:canon" "resource-new" canon_resource_new(ty: i32, rep: i32) -> i32;
            "wasmlink:canon" "resource-rep" canon_resource_rep(ty: i32, handle: i32) -> i32;
            "wasmlink:canon" "resource-drop" canon_resource_drop(ty: i32, handle: i32) -> i64;
            "wasmlink:canon" "resource-transfer-own" canon_resource_transfer_own(handle: i32, ty: i32, from: i32, to: i32) -> i32;
            "wasmlink:canon" "resource-transfer-borrow" canon_resource_transfer_borrow(handle: i32, ty: i32, from: i32, to: i32) -> i32;
            "wasmlink:canon" "resource-enter-call" canon_resource_enter_call() -> ();
            "wasmlink:canon" "resource-exit-call" canon_resource_exit_call() -> ();
        }
    };
}

/// Adds each row's symbol (`foreach_wasi2_fn!` is the list to read).
#[doc(hidden)]
#[macro_export]
macro_rules! __wasi2_rows {
    ($mac:ident $(
        $iface:literal $func:literal $name:ident ( $($param:ident : $ty:ident),* $(,)? ) -> $result:tt;
    )*) => {
        $mac! {
            $(
                $iface $func $name [concat!("wasmlink_wasi2_", stringify!($name))]
                    ($($param : $ty),*) -> $result;
            )*
        }
    };
}
