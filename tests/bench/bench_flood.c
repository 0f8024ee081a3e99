//  bench_flood: intake under the hostile flood of issue 19 (fault 4), in a
//  Release build: the resident set before, at the peak and after, and the
//  latency of the legitimate commands sent meanwhile.
//
//  The flood is tests/support/cf_testflood.h's, the same that
//  integration/test_flood runs under AddressSanitizer: 4 clients, each
//  sending 60 register commands of ~4 MiB padded with unknown fields at
//  once, while one legitimate client registers residents one after
//  another. Targets: RSS under 200 MB throughout, and the legitimate
//  commands' p99 under 1 s.
//
//  Usage: bench_flood [--smoke | --quick]   (4 x 60 requests; --smoke
//  2 x 5; --quick 4 x 30)
#include "bench_kit.h"

#include "cf_log.h"
#include "cf_testflood.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  How often, and how long, the service took to give memory back (its
//  "gave free memory back in T us" lines).
static void
s_trim_figures (const char *log_path)
{
    FILE *log = fopen (log_path, "r");
    char line [1024];
    int trims = 0;
    double longest = 0;
    while (log && fgets (line, sizeof line, log)) {
        const char *at = strstr (line, "gave free memory back in ");
        if (!at)
            continue;
        double us = atof (at + strlen ("gave free memory back in "));
        trims++;
        longest = us > longest ? us : longest;
    }
    if (log)
        fclose (log);
    printf ("flood: the service gave memory back %d times, the longest in %.0f us\n", trims,
            longest);
    bk_figure ("flood.trims", trims);
    bk_figure ("flood.trim_us", longest);
}

int
main (int argc, char **argv)
{
    int size = bk_main_init (argc, argv, "[--smoke | --quick]");
    cf_log_init ("bench_flood", CF_LOG_WARN);
    cf_testflood_config_t config;
    cf_testflood_defaults (&config);
    if (size == 1) {
        config.clients = 2;
        config.requests = 5;
        config.settle_ms = 500;
    } else if (size == 2)
        config.requests = 30;
    bk_service_t svc;
    bk_service_init (&svc, "intake");
    bk_fake_t *fake = bk_fake_new ();
    //  At info, for the line that says how long giving memory back took.
    const char *flags [16] = { "--log-level=info" };
    size_t count = 1;
    char storage [4 * 320];
    int failed = 1;
    cf_testflood_result_t result;
    if (fake) {
        bk_fake_flags (fake, bk_upstreams ("intake"), flags, &count, 16, storage);
        double load = bk_load ();
        if (bk_service_start (&svc, flags, 60000) == 0
            && cf_testflood_run (svc.proc.api, svc.proc.pid, &config, &result) == 0) {
            cf_testflood_print (&result, stdout);
            bk_figure ("flood.rss_before_mb", result.rss_before_mb);
            bk_figure ("flood.rss_peak_mb", result.rss_peak_mb);
            bk_figure ("flood.rss_after_mb", result.rss_after_mb);
            bk_figure ("flood.legit_p50_ms", result.legit_p50_ms);
            bk_figure ("flood.legit_p99_ms", result.legit_p99_ms);
            bk_figure ("flood.legit_max_ms", result.legit_max_ms);
            bk_figure ("flood.seconds", result.flood_s);
            bk_figure ("load.flood", load);
            s_trim_figures (svc.proc.log_path);
            //  A benchmark fails only when the run itself did.
            failed = result.hostile_answered != result.hostile_sent
                     || result.legit_ok != result.legit_sent
                     || bk_service_errors (&svc, "bench_flood") > 0;
            if (failed)
                fprintf (stderr, "bench_flood: requests without an answer, or refused\n");
        }
    }
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return failed;
}
