# The gateway's webhooks (outbound CloudEvents): a library of their pure
# logic (subscriptions and their apply, lifecycle table, retry rules,
# delivery lanes, CloudEvent rendering), which gateway_core links; its unit
# tests (tests/test_webhooks_*.c) are built with the service's other tests.
# Included by this folder's CMakeLists.txt.
add_library(gateway_webhooks STATIC
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_lifecycle.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_retry.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_state.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_delivery.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_window.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_run.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_decide.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_render.c)
target_include_directories(gateway_webhooks PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(gateway_webhooks PUBLIC cf_common)
