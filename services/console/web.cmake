# The console's web page, its pure parts: the HTML writer, the strings in
# both languages, the SVG charts, people and roles with the form tokens, and
# form parsing. A library of its own, which the console service links; its
# unit tests are tests/web/test_web_*.c. Included by this folder's
# CMakeLists.txt.
add_library(console_web STATIC
    ${CMAKE_CURRENT_LIST_DIR}/console_html.c
    ${CMAKE_CURRENT_LIST_DIR}/console_strings.c
    ${CMAKE_CURRENT_LIST_DIR}/console_chart.c
    ${CMAKE_CURRENT_LIST_DIR}/console_auth.c
    ${CMAKE_CURRENT_LIST_DIR}/console_form.c
    ${CMAKE_CURRENT_LIST_DIR}/console_page.c
    ${CMAKE_CURRENT_LIST_DIR}/console_page_today.c
    ${CMAKE_CURRENT_LIST_DIR}/console_page_lists.c
    ${CMAKE_CURRENT_LIST_DIR}/console_page_report.c
    ${CMAKE_CURRENT_LIST_DIR}/console_series.c
    ${CMAKE_CURRENT_LIST_DIR}/console_page_case.c
    ${CMAKE_CURRENT_LIST_DIR}/console_web.c)
target_include_directories(console_web PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(console_web PUBLIC cf_common)

if(CF_BUILD_TESTS)
    file(GLOB CONSOLE_WEB_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/tests/web/test_web_*.c)
    foreach(src ${CONSOLE_WEB_TESTS})
        get_filename_component(name ${src} NAME_WE)
        add_executable(console_${name} ${src})
        target_link_libraries(console_${name} PRIVATE console_web cf_testsupport)
        add_test(NAME unit/console_${name} COMMAND console_${name})
        set_tests_properties(unit/console_${name} PROPERTIES TIMEOUT 60)
    endforeach()
endif()

# The page served over a JSON document (tests/browser/console_web_serve.c),
# for the browser and API tests of the page itself.
if(CF_BUILD_TESTS)
    add_executable(console_web_serve ${CMAKE_SOURCE_DIR}/tests/browser/console_web_serve.c)
    target_link_libraries(console_web_serve PRIVATE console_web)
    set_target_properties(console_web_serve PROPERTIES
        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
endif()
