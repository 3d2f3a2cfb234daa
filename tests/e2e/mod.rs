//! End-to-end tests: the generated `connectparticipant` client against a fake Amazon Connect
//! Participant Service, a real HTTP/1.1 server that each test starts on an ephemeral port of
//! 127.0.0.1 (see [`server`]). The fake checks every request as the service would (method,
//! path, `X-Amz-Bearer`, `Content-Type`, JSON members, `ClientToken` a UUID v4) and answers
//! 400 `ValidationException` saying what was wrong; tests script its answers per operation.
//!
//! Scenarios and their tests:
//!
//! 0. The fake's own checks refuse what the service would, saying why (`fake_service::`):
//!    `fake_service_refuses_bad_requests_with_explanations`.
//! 1. Every operation succeeds; outputs and the requests received are checked
//!    (`operations::`): `cancel_participant_authentication_succeeds`,
//!    `complete_attachment_upload_succeeds_with_a_generated_client_token`,
//!    `create_participant_connection_returns_websocket_and_credentials`,
//!    `create_participant_connection_returns_webrtc_meeting_data`,
//!    `describe_view_is_a_get_without_body_and_returns_the_view`,
//!    `disconnect_participant_succeeds_with_a_generated_client_token`,
//!    `get_attachment_returns_url_expiry_and_size`, `get_authentication_url_succeeds`,
//!    `get_transcript_returns_items_with_attachments_and_receipts`, `send_event_succeeds`,
//!    `send_message_succeeds`, `send_message_sends_a_caller_client_token_as_given`,
//!    `start_attachment_upload_returns_upload_metadata_with_headers`,
//!    `each_call_gets_a_fresh_client_token`.
//! 2. Modeled errors map to their variants with their messages (`errors::`):
//!    `every_modeled_error_of_every_operation_maps_to_its_variant` (all 49 operation/error
//!    pairs of the model), `resource_not_found_keeps_resource_id_and_type`,
//!    `conflict_and_service_quota_errors_carry_their_messages`; the code read from the body:
//!    `error_code_from_body_type_with_namespace_and_suffix`,
//!    `error_code_from_body_code_with_namespace_and_suffix`,
//!    `error_code_header_wins_and_is_cleaned`.
//! 3. Unmodeled errors are `Unhandled` with status, code and raw body (`errors::`):
//!    `unmodeled_error_code_is_unhandled_with_status_code_and_body`,
//!    `modeled_error_not_declared_by_the_operation_is_unhandled`,
//!    `error_without_code_is_unhandled_and_keeps_the_raw_body`.
//! 4. Unreadable 200 bodies are `Error::Response` with status and raw body (`errors::`):
//!    `malformed_json_on_200_is_a_response_error_keeping_status_and_body`,
//!    `wrongly_typed_member_on_200_is_a_response_error_naming_the_member`,
//!    `modeled_error_with_unreadable_body_is_a_response_error`; by contrast, bodies merely newer
//!    than the model are read: `unknown_members_and_enum_values_are_tolerated`.
//! 5. Truncated and empty bodies (`errors::`): `truncated_body_is_a_transport_error`,
//!    `empty_200_body_gives_empty_outputs`.
//! 6. 500 then success, retried with the same `ClientToken` (`retries::`):
//!    `server_error_then_success_is_retried_with_the_same_client_token`,
//!    `gateway_errors_are_retried`.
//! 7. Throttling until attempts run out; errors that are not retried (`retries::`):
//!    `throttling_is_retried_until_max_attempts_then_returned`,
//!    `throttling_code_on_400_is_retried`, `bare_429_is_retried`,
//!    `validation_and_access_denied_errors_are_not_retried`.
//! 8. Timeouts (`retries::`): `attempt_timeout_is_retried_then_returned`,
//!    `attempt_timeout_then_a_prompt_answer_succeeds`, `attempt_timeout_covers_a_stalled_body`,
//!    `operation_timeout_bounds_a_slow_call`,
//!    `operation_timeout_covers_retries`.
//! 9. Broken connections are transport errors, retried (`retries::`):
//!    `connection_closed_without_response_is_retried`, `connection_cut_mid_body_is_retried`,
//!    `connection_closed_on_every_attempt_is_a_transport_error`,
//!    `connection_refused_is_a_transport_error`.
//! 10. Path-label escaping (`requests::`): `describe_view_token_is_one_segment_and_round_trips`.
//! 11. Validation before sending (`requests::`):
//!     `invalid_inputs_fail_validation_and_never_reach_the_server`,
//!     `bearer_with_line_break_is_a_build_error_and_is_not_sent`.
//! 12. Pagination (`pagination::`): `paginator_walks_every_page_following_next_token`,
//!     `items_stream_yields_every_item_in_order`, `paginator_starts_from_the_given_token`,
//!     `repeated_token_ends_the_stream`, `empty_next_token_ends_the_stream`,
//!     `token_cycle_ends_the_stream`,
//!     `paginator_yields_an_error_then_ends`.
//! 13. Concurrency (`concurrency::`): `sixty_four_concurrent_calls_share_one_client`.
//! 14. Endpoints (`requests::`): `custom_endpoint_path_prefix_is_kept`,
//!     `config_from_environment_lookup_reaches_the_server`.
//! 15. Response size limit (`body_limit::`): `an_endless_body_is_refused_one_byte_past_the_limit`,
//!     `a_body_declared_over_the_limit_is_not_read`, `a_body_within_the_limit_is_read`,
//!     `a_custom_transport_body_over_the_limit_is_refused_too`.
//! 16. The blocking facade (`blocking::`): `every_operation_is_called_without_await`,
//!     `errors_and_retries_are_the_async_clients`, `pages_and_items_are_iterators`,
//!     `clones_share_the_runtime_and_calls_run_from_many_threads`,
//!     `a_call_inside_an_async_runtime_is_an_error_not_a_panic`.

mod blocking;
mod body_limit;
mod concurrency;
mod errors;
mod fake_service;
mod operations;
mod pagination;
mod requests;
mod retries;
mod server;
mod support;
