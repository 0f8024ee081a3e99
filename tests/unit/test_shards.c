//  test_shards: the intake shards' map of districts (cf_shards): routing,
//  the default shard, and the refusals of a map that would route a
//  district two ways.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_shards.h"

#include <string.h>

static void
test_routes (void **state)
{
    (void) state;
    char why [256] = "";
    cf_shards_t *shards = NULL;
    assert_int_equal (cf_shards_parse ("intake-noord=Noord,Noord-Oost;intake-zuid=Zuid", &shards,
                                       why, sizeof why),
                      0);
    assert_int_equal (cf_shards_count (shards), 2);
    assert_string_equal (cf_shards_route (shards, "Noord"), "intake-noord");
    assert_string_equal (cf_shards_route (shards, "noord-oost"), "intake-noord");
    assert_string_equal (cf_shards_route (shards, "ZUID"), "intake-zuid");
    assert_string_equal (cf_shards_route (shards, "Centrum"), "intake");
    assert_string_equal (cf_shards_route (shards, " Noord"), "intake");  //  never trimmed
    assert_string_equal (cf_shards_route (shards, ""), "intake");
    assert_string_equal (cf_shards_route (shards, NULL), "intake");
    assert_true (cf_shards_has (shards, "intake"));
    assert_true (cf_shards_has (shards, "intake-zuid"));
    assert_false (cf_shards_has (shards, "intake-oost"));
    cf_shards_destroy (&shards);
    assert_null (shards);
}

static void
test_no_sharding (void **state)
{
    (void) state;
    char why [256] = "";
    cf_shards_t *shards = NULL;
    assert_int_equal (cf_shards_parse ("", &shards, why, sizeof why), 0);
    assert_int_equal (cf_shards_count (shards), 0);
    assert_string_equal (cf_shards_route (shards, "Noord"), "intake");
    assert_true (cf_shards_has (shards, "intake"));
    assert_false (cf_shards_has (shards, "intake-noord"));
    cf_shards_destroy (&shards);
    assert_string_equal (cf_shards_route (NULL, "Noord"), "intake");
    assert_int_equal (cf_shards_count (NULL), 0);
}

static void
test_refusals (void **state)
{
    (void) state;
    struct {
        const char *map, *says;
    } cases [] = {
        { "intake-noord", "\"intake-noord\" is not stream=district" },
        { "intake=Noord", "\"intake\" is not a shard of intake" },
        { "assignment-noord=Noord", "is not a shard of intake" },
        { "Intake-Noord=Noord", "is not a shard of intake" },
        { "intake-noord=", "a district of 0 characters" },
        { "intake-noord=Noord,,Oost", "a district of 0 characters" },
        { "intake-noord=Noord;intake-noord=Oost", "the shard intake-noord is named twice" },
        { "intake-noord=Noord;intake-zuid=noord", "named for intake-noord and intake-zuid" },
        { "intake-noord=Noord,NOORD", "named for intake-noord and intake-noord" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char why [256] = "";
        cf_shards_t *shards = NULL;
        int rc = cf_shards_parse (cases [i].map, &shards, why, sizeof why);
        if (rc != CF_EINVAL || shards || !strstr (why, cases [i].says))
            fail_msg ("%s: rc %d, \"%s\"", cases [i].map, rc, why);
    }
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_routes),
        cmocka_unit_test (test_no_sharding),
        cmocka_unit_test (test_refusals),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
