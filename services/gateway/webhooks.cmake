# The gateway's webhooks (outbound CloudEvents): a library of their pure
# logic (subscriptions and their apply, lifecycle table, retry rules,
# delivery lanes, CloudEvent rendering) and its unit tests
# (tests/test_webhooks_*.c). Included by this folder's CMakeLists.txt.
add_library(gateway_webhooks STATIC
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_lifecycle.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_retry.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_state.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_webhooks_delivery.c
    ${CMAKE_CURRENT_LIST_DIR}/gateway_cloudevent.c)
target_include_directories(gateway_webhooks PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(gateway_webhooks PUBLIC cf_common)

if(CF_BUILD_TESTS)
    file(GLOB GATEWAY_WEBHOOK_TESTS CONFIGURE_DEPENDS
         ${CMAKE_CURRENT_LIST_DIR}/tests/test_webhooks_*.c)
    foreach(src ${GATEWAY_WEBHOOK_TESTS})
        get_filename_component(name ${src} NAME_WE)
        add_executable(gateway_${name} ${src})
        target_link_libraries(gateway_${name} PRIVATE gateway_webhooks cf_testsupport)
        add_test(NAME unit/gateway_${name} COMMAND gateway_${name})
        set_tests_properties(unit/gateway_${name} PROPERTIES TIMEOUT 120)
    endforeach()
endif()
