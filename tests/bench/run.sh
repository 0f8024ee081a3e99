#!/usr/bin/env bash
# Builds the benchmarks and the services they start (a Release tree in its
# own build directory), runs every benchmark in tests/bench/ at full size,
# then writes one Markdown table of the figures, each beside the raw limit
# measured in the same run and its ratio to it, to stdout and to
# <build dir>/results.md. The benchmarks' whole output is kept in
# <build dir>/bench.log.
#
#   tests/bench/run.sh [--quick] [--full] [BENCH...]
#
#   --quick    mid-size runs (a few minutes) for trying things out; the
#              table says so
#   --full     the soak at full length: 1,000,000 commands through the four
#              services (bench_soak --full, about an hour on 2 cores);
#              without it the soak drives 50,000
#   BENCH      run only these (e.g. bench_service bench_gateway), with
#              bench_raw first for the raw limits; default all: bench_raw
#              bench_service bench_e2e bench_replay bench_memory
#              bench_timers bench_journal_replay bench_keystore bench_gateway
#              bench_console bench_flood bench_soak
#   CF_BENCH_BUILD_DIR   build directory (default build/bench)
#
# Targets are printed beside the figures; a missed target is reported, never
# a failure: the script fails only when a benchmark itself fails (a service
# that does not start, requests without an answer, events missing).
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../deploy/lib/setup.sh
. "$CF_ROOT/deploy/lib/setup.sh"

SIZE=""
SOAK=""
BENCHES=()
for arg in "$@"; do
    case "$arg" in
        --quick) SIZE=--quick ;;
        --full) SOAK=--full ;;
        -h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
        bench_*)
            if [ ! -f "$CF_ROOT/tests/bench/$arg.c" ]; then
                echo "run.sh: no benchmark $arg in tests/bench/ (see --help)" >&2
                exit 2
            fi
            BENCHES+=("$arg") ;;
        *) echo "run.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#BENCHES[@]} -eq 0 ] && BENCHES=(bench_raw bench_service bench_e2e bench_replay bench_memory bench_timers
                                     bench_journal_replay bench_keystore bench_gateway bench_console
                                     bench_flood bench_soak)
# Every figure stands beside a raw limit measured in the same run (the
# gateway's ingress beside LMDB's synced appends at 1 and 100 per commit):
# bench_raw runs first even when only others were asked for.
case " ${BENCHES[*]} " in
    *" bench_raw "*) ;;
    *) BENCHES=(bench_raw "${BENCHES[@]}") ;;
esac

cf_ensure_packages "${CF_BUILD_PACKAGES[@]}" "${CF_TEST_PACKAGES[@]}"
BUILD_DIR=${CF_BENCH_BUILD_DIR:-$CF_ROOT/build/bench}
# Only what the benchmarks run: the programs and the services they start.
cmake -S "$CF_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DCF_SANITIZE=OFF \
      -DCF_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${BENCHES[@]}" caseflow-intake \
      caseflow-assignment caseflow-handover caseflow-notification caseflow-gateway \
      caseflow-console caseflow-testsvc

LOG=$BUILD_DIR/bench.log
FIGURES=$BUILD_DIR/figures.txt
RESULTS=$BUILD_DIR/results.md
: >"$LOG"
: >"$FIGURES"
export CASEFLOW_LOG_LEVEL=warn
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
failed=()
for bench in "${BENCHES[@]}"; do
    args=()
    if [ "$bench" = bench_soak ]; then
        [ -n "$SOAK" ] && args=("$SOAK")
    elif [ -n "$SIZE" ]; then
        case "$bench" in
            bench_timers) args=(--pending 200000 --measured 1000 --spread 5) ;;
            bench_journal_replay) args=(--events 200000) ;;
            *) args=("$SIZE") ;;
        esac
    fi
    echo "== $bench ${args[*]:-} (load $(cut -d' ' -f1 /proc/loadavg))" | tee -a "$LOG" >&2
    t0=$(date +%s)
    if ! "$BUILD_DIR/bin/$bench" "${args[@]}" >>"$LOG" 2>&1; then
        failed+=("$bench")
        echo "   $bench FAILED (see $LOG)" >&2
    fi
    echo "   $(( $(date +%s) - t0 )) s" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
grep '^@@ ' "$LOG" | cut -c4- >>"$FIGURES" || true
# bench_timers (the notification service's own benchmark) prints human
# lines; take its lateness distributions from them.
awk '/^fired +lateness ms:/     { print "timers.fired.p50_ms", $5; print "timers.fired.p99_ms", $7;
                                   print "timers.fired.p999_ms", $9; print "timers.fired.max_ms", $11 }
     /^delivered +lateness ms:/ { print "timers.delivered.p50_ms", $5; print "timers.delivered.p99_ms", $7;
                                   print "timers.delivered.p999_ms", $9; print "timers.delivered.max_ms", $11 }
     /^measured .* reminders due over .* with [0-9]+ pending/ {
                                   for (i = 1; i <= NF; i++) if ($i == "pending") print "timers.pending", $(i - 1) }
     /^journal_(append|replay|scan) events=/ {
                                   for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "events_per_s") print "journal." substr($1, 9) ".rate", kv[2] } }
     /^ingested .* handover announcements in/ {
                                   for (i = 1; i <= NF; i++) if ($i ~ /^\([0-9.]+\/s\):$/) { v = $i; gsub(/[^0-9.]/, "", v); print "timers.ingest_rate", v } }' \
    "$LOG" >>"$FIGURES"
# Derived: end to end as a fraction of LMDB's synced appends at 1,000/commit.
awk '{ v[$1] = $2 } END { if (("e2e.sat.rate" in v) && v["raw.lmdb.c1000.rate"] > 0)
                              print "e2e.ratio", v["e2e.sat.rate"] / v["raw.lmdb.c1000.rate"] }' \
    "$FIGURES" >>"$FIGURES.derived"
cat "$FIGURES.derived" >>"$FIGURES"
rm -f "$FIGURES.derived"

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
fs=$(df -T "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $2 }')
{
    echo "# caseflow benchmarks"
    echo
    echo "Run $started ($([ -n "$SIZE" ] && echo "QUICK, reduced sizes" || echo "full size")), Release build, \`tests/bench/run.sh\`."
    echo "Machine: $(nproc) CPUs ($cpu), $mem RAM, Linux $(uname -r), stores in ${TMPDIR:-/tmp} ($fs)."
    echo "Load average (1/5/15 min) before: $load_before; after: $load_after; the Load column is the 1-minute load when each run started (other people's builds share the machine)."
    [ ${#failed[@]} -gt 0 ] && echo "FAILED benchmarks: ${failed[*]} (see bench.log)."
    echo
    awk -f - "$FIGURES" <<'AWK'
function has(k) { return (k in v) }
function num(x,   s, neg, out, n) {
    if (x == "") return "—"
    if (x >= 100) {
        s = sprintf("%.0f", x); neg = (s ~ /^-/); if (neg) s = substr(s, 2)
        out = ""; n = length(s)
        while (n > 3) { out = "," substr(s, n - 2, 3) out; n -= 3 }
        return (neg ? "-" : "") substr(s, 1, n) out
    }
    if (x >= 10) return sprintf("%.1f", x)
    return sprintf("%.2f", x)
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "—" : sprintf("%.3f", a / b) }
# row(section, figure, key, unit, limit label, limit key, target text, comparison, target value, load key)
function row(section, figure, key, unit, llabel, lkey, ttext, cmp, tval, loadkey,   m, l, met) {
    m = has(key) ? v[key] : ""
    l = (lkey != "" && has(lkey)) ? v[lkey] : ""
    met = "—"
    if (m != "" && cmp == ">=") met = (m >= tval) ? "yes" : "**no**"
    if (m != "" && cmp == "<")  met = (m <  tval) ? "yes" : "**no**"
    if (m == "") met = "not run"
    printf "| %s | %s | %s%s | %s | %s | %s | %s | %s |\n", section, figure, num(m), (m == "" || unit == "" ? "" : " " unit),
        (llabel == "" ? "—" : llabel " " num(l)), (lkey == "" ? "—" : ratio(m, l)),
        (ttext == "" ? "—" : ttext), met, (loadkey != "" && has(loadkey) ? num(v[loadkey]) : "—")
}
{ v[$1] = $2 }
END {
    print "| Benchmark | Figure | Measured | Raw limit (same run) | Ratio | Target | Met | Load |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- |"
    L1 = "raw.lmdb.c1.rate"; L100 = "raw.lmdb.c100.rate"; L1000 = "raw.lmdb.c1000.rate"
    C50 = "raw.lmdb.c1.commit_p50_ms"; C99 = "raw.lmdb.c1.commit_p99_ms"
    row("1 Raw limits", "LMDB synced appends, 1 per commit", L1, "/s", "", "", "", "", 0, "load.raw")
    row("1 Raw limits", "LMDB commit latency p50 (1 per commit)", C50, "ms", "", "", "", "", 0, "")
    row("1 Raw limits", "LMDB commit latency p99 (1 per commit)", C99, "ms", "", "", "", "", 0, "")
    row("1 Raw limits", "LMDB synced appends, 100 per commit", L100, "/s", "", "", "", "", 0, "")
    row("1 Raw limits", "LMDB synced appends, 1,000 per commit", L1000, "/s", "", "", "", "", 0, "")
    row("1 Raw limits", "ZeroMQ PUB/SUB ipc, 200 B", "raw.zmq.ipc.rate", "msgs/s", "", "", "", "", 0, "")
    row("1 Raw limits", "ZeroMQ PUB/SUB tcp loopback, 200 B", "raw.zmq.tcp.rate", "msgs/s", "", "", "", "", 0, "")
    split("intake testsvc", svcs, " ")
    for (i = 1; i <= 2; i++) {
        s = svcs[i]; p = "svc." s "."
        name = (s == "intake") ? "2 One service: intake Register" : "2 One service: testsvc Increment"
        row(name, "commands/s at saturation", p "sat.rate", "/s", "LMDB 1,000/commit", L1000,
            (s == "intake" ? ">= 150,000/s" : ""), (s == "intake" ? ">=" : ""), 150000, "load." p "sat")
        row(name, "p50 at 1,000/s offered", p "r1000.p50_ms", "ms", "commit p50", C50, "", "", 0, "load." p "r1000")
        row(name, "p99 at 1,000/s offered", p "r1000.p99_ms", "ms", "commit p99", C99,
            (s == "intake" ? "< 10 ms" : ""), (s == "intake" ? "<" : ""), 10, "")
        row(name, "p99.9 at 1,000/s offered", p "r1000.p999_ms", "ms", "commit p99", C99, "", "", 0, "")
        row(name, "achieved at 10,000/s offered", p "r10000.rate", "/s", "", "", "", "", 0, "load." p "r10000")
        row(name, "p50 at 10,000/s offered", p "r10000.p50_ms", "ms", "commit p50", C50, "", "", 0, "")
        row(name, "p99 at 10,000/s offered", p "r10000.p99_ms", "ms", "commit p99", C99, "", "", 0, "")
        row(name, "p99.9 at 10,000/s offered", p "r10000.p999_ms", "ms", "commit p99", C99, "", "", 0, "")
        row(name, "p50 at saturation (4,096 outstanding)", p "sat.p50_ms", "ms", "commit p50", C50, "", "", 0, "")
        row(name, "p99 at saturation", p "sat.p99_ms", "ms", "commit p99", C99, "", "", 0, "")
        row(name, "p99.9 at saturation", p "sat.p999_ms", "ms", "commit p99", C99, "", "", 0, "")
        row(name, "service CPU per command at saturation", p "sat.cpu_us", "µs", "", "", "", "", 0, "")
    }
    E = "3 End to end: intake → notification"
    row(E, "registrations/s at saturation", "e2e.sat.rate", "/s", "LMDB 1,000/commit", L1000,
        ">= 100,000/s", ">=", 100000, "load.e2e.sat")
    row(E, "… as a fraction of LMDB 1,000/commit", "e2e.ratio", "", "", "", ">= 0.3", ">=", 0.3, "")
    row(E, "services' CPU per registration at saturation", "e2e.sat.cpu_us", "µs", "", "", "", "", 0, "")
    row(E, "… and the benchmark's own (load generator, consumer)", "e2e.sat.bench_cpu_us", "µs", "", "", "", "", 0, "")
    row(E, "p50 at 1,000/s offered", "e2e.r1000.p50_ms", "ms", "commit p50", C50, "", "", 0, "load.e2e.r1000")
    row(E, "p99 at 1,000/s offered", "e2e.r1000.p99_ms", "ms", "commit p99", C99, "", "", 0, "")
    row(E, "p99.9 at 1,000/s offered", "e2e.r1000.p999_ms", "ms", "commit p99", C99, "", "", 0, "")
    row(E, "achieved at 10,000/s offered", "e2e.r10000.rate", "/s", "", "", "", "", 0, "load.e2e.r10000")
    row(E, "p50 at 10,000/s offered", "e2e.r10000.p50_ms", "ms", "commit p50", C50, "", "", 0, "")
    row(E, "p99 at 10,000/s offered", "e2e.r10000.p99_ms", "ms", "commit p99", C99, "", "", 0, "")
    row(E, "p99.9 at 10,000/s offered", "e2e.r10000.p999_ms", "ms", "commit p99", C99, "", "", 0, "")
    row(E, "p50 at saturation", "e2e.sat.p50_ms", "ms", "commit p50", C50, "", "", 0, "")
    row(E, "p99 at saturation", "e2e.sat.p99_ms", "ms", "commit p99", C99, "", "", 0, "")
    row(E, "p99.9 at saturation", "e2e.sat.p999_ms", "ms", "commit p99", C99, "", "", 0, "")
    split("intake assignment handover notification", rs, " ")
    split("10k 1m 10m", sizes, " ")
    for (i = 1; i <= 4; i++) for (j = 1; j <= 3; j++) {
        k = "replay." rs[i] "." sizes[j]
        if (!has(k ".rate")) continue
        label = sprintf("events/s, %s events (start → /readyz %s s)", num(v[k ".events"]), num(v[k ".seconds"]))
        row("4 Replay: " rs[i], label, k ".rate", "/s", "journal scan", k ".scan_rate",
            ">= 1,000,000/s", ">=", 1000000, "load." k)
        row("4 Replay: " rs[i], "… protobuf decode alone, same journal", k ".decode_rate", "/s",
            "journal scan", k ".scan_rate", "", "", 0, "")
    }
    row("4 Replay: cf_journal alone", "append, 1,000 synced per commit (bench_journal_replay)", "journal.append.rate", "/s", "LMDB 1,000/commit", L1000, "", "", 0, "")
    row("4 Replay: cf_journal alone", "replay with protobuf decode, no apply", "journal.replay.rate", "/s", "journal scan", "journal.scan.rate", "", "", 0, "")
    split("intake assignment", ms, " ")
    for (i = 1; i <= 2; i++) {
        k = "memory." ms[i]
        row("5 Memory: " ms[i], "VmRSS per 1,000,000 open cases", k ".rss_mib_per_1m", "MiB",
            "encoded events", k ".encoded_mib_per_1m", "< 1,024 MiB", "<", 1024, "load." k)
        row("5 Memory: " ms[i], "… of which anonymous (the state)", k ".anon_mib_per_1m", "MiB",
            "encoded events", k ".encoded_mib_per_1m", "", "", 0, "")
        row("5 Memory: " ms[i], "… of which file pages (the store's map)", k ".file_mib_per_1m", "MiB",
            "", "", "", "", 0, "")
    }
    F = "5b Hostile load: intake under the flood of issue 19 (4 x 60 requests of 4 MiB)"
    row(F, "VmRSS before the flood", "flood.rss_before_mb", "MB", "", "", "", "", 0, "load.flood")
    row(F, "VmRSS at the peak", "flood.rss_peak_mb", "MB", "", "", "< 200 MB", "<", 200, "")
    row(F, "VmRSS after it settled", "flood.rss_after_mb", "MB", "", "", "", "", 0, "")
    row(F, "legitimate commands meanwhile: p50", "flood.legit_p50_ms", "ms", "commit p50", C50, "", "", 0, "")
    row(F, "legitimate commands meanwhile: p99", "flood.legit_p99_ms", "ms", "commit p99", C99, "< 1,000 ms", "<", 1000, "")
    row(F, "legitimate commands meanwhile: max", "flood.legit_max_ms", "ms", "", "", "", "", 0, "")
    row(F, "giving memory back (malloc_trim), the longest", "flood.trim_us", "µs", "", "", "", "", 0, "")
    T = "6 Timers: notification"
    if (has("timers.pending"))
        T = T " (" num(v["timers.pending"]) " pending)"
    row(T, "delivered lateness p50 (timer → commit → PUB → consumer)", "timers.delivered.p50_ms", "ms", "commit p50", C50, "", "", 0, "")
    row(T, "delivered lateness p99", "timers.delivered.p99_ms", "ms", "commit p99", C99, "< 100 ms", "<", 100, "")
    row(T, "delivered lateness p99.9", "timers.delivered.p999_ms", "ms", "commit p99", C99, "", "", 0, "")
    row(T, "fired lateness p99 (the service's clock at firing)", "timers.fired.p99_ms", "ms", "commit p99", C99, "", "", 0, "")
    row(T, "ingest of the pending reminders' handovers", "timers.ingest_rate", "/s", "", "", "", "", 0, "")
    K = "7 Personal data: key store"
    if (has("keystore.residents"))
        K = K " (" num(v["keystore.residents"]) " residents, 1 key + 2 hashes each)"
    row(K, "data.mdb per 1,000,000 residents after the build", "keystore.built.mib_per_1m", "MiB", "", "", "", "", 0, "load.keystore")
    row(K, "data.mdb per 1,000,000 residents after a compaction", "keystore.compacted.mib_per_1m", "MiB", "", "", "", "", 0, "")
    row(K, "bytes the records of one resident hold", "keystore.record_bytes", "B", "", "", "", "", 0, "")
    row(K, "registrations into the store, 1,000 per commit", "keystore.build.rate", "/s", "LMDB 1,000/commit", L1000, "", "", 0, "")
    row(K, "erase one resident (synced commit), median of 3", "keystore.erase_ms", "ms", "commit p50", C50, "", "", 0, "")
    row(K, "… then compact the whole store, median of 3", "keystore.compact_ms", "ms", "", "", "", "", 0, "")
    row(K, "erase + compact, median of 3", "keystore.erase_total_ms", "ms", "", "", "", "", 0, "")
    row(K, "seal a registration's personal part (cf_seal)", "keystore.seal.rate", "/s", "", "", "", "", 0, "")
    row(K, "open it (cf_seal_open)", "keystore.open.rate", "/s", "", "", "", "", 0, "")
    G = "8 Gateway ingress: 4 kept-alive clients"
    split("single batch", gm, " ")
    for (i = 1; i <= 2; i++) {
        k = "gw.ingress." gm[i]
        label = (gm[i] == "single") ? "single mode (1 event a request)" : "batch mode (100 events a request)"
        row(G, label ": accepted events/s", k ".rate", "/s", (gm[i] == "single") ? "LMDB 1/commit" : "LMDB 100/commit",
            (gm[i] == "single") ? L1 : L100, "", "", 0, "load." k)
        row(G, label ": p50 (send → 202)", k ".p50_ms", "ms", "commit p50", C50, "", "", 0, "")
        row(G, label ": p99", k ".p99_ms", "ms", "commit p99", C99, "", "", 0, "")
        row(G, label ": service CPU per event", k ".cpu_us", "µs", "", "", "", "", 0, "")
    }
    # Egress: one subscription to a local receiver (bench_gateway). The
    # latency runs from the POST, so it holds the commit (between the send
    # and the 202) and everything after it.
    X = "9 Gateway egress: webhooks"
    row(X, "deliveries/s to a local receiver (one subscription, saturated)", "gw.egress.rate", "/s", "", "", "", "", 0, "load.gw.egress")
    row(X, "at 100 events/s: p50 from the POST (commit) to the receiver", "gw.egress.r100.p50_ms", "ms", "commit p50", C50, "", "", 0, "load.gw.egress.r100")
    row(X, "at 100 events/s: p99 from the POST (commit) to the receiver", "gw.egress.r100.p99_ms", "ms", "commit p99", C99, "", "", 0, "")
    # The console (bench_console): its own history, as it journals what it follows.
    K = "10 Console"
    row(K, "replay: start to ready over " num(v["console.replay.events"]) " events", "console.replay.rate", "events/s", "", "", "≥ 1,000,000/s", ">=", 1000000, "")
    row(K, "report --at over that history: median", "console.report.median_ms", "ms", "", "", "< 200 ms", "<", 200, "")
    row(K, "report --at over that history: slowest of 5", "console.report.max_ms", "ms", "", "", "", "", 0, "")
    row(K, "report --at the history's middle: median", "console.report_half.median_ms", "ms", "", "", "< 200 ms", "<", 200, "")
    row(K, "web page render p99 (every open case waiting): Waiting list", "console.page.waiting.p99_ms", "ms", "", "", "< 100 ms", "<", 100, "")
    row(K, "web page render p99 (every open case waiting): Today", "console.page.today.p99_ms", "ms", "", "", "< 100 ms", "<", 100, "")
    row(K, "memory per 1,000,000 open cases (VmRSS)", "memory.console.rss_mib_per_1m", "MiB", "", "", "", "", 0, "")
    # The soak (bench_soak): memory, open files and threads after the
    # warm-up and at the end of the run.
    S = "11 Soak"
    if (has("soak.commands"))
        S = S " (" num(v["soak.commands"]) " commands, system clock)"
    row(S, "commands/s over the run (settling included)", "soak.rate", "/s", "", "", "", "", 0, "")
    split("intake assignment handover notification", ss, " ")
    for (i = 1; i <= 4; i++) {
        p = "soak." ss[i] "."
        row(S, ss[i] ": VmRSS after the warm-up", p "rss_warm_mb", "MB", "", "", "", "", 0, "")
        row(S, ss[i] ": VmRSS at the end", p "rss_end_mb", "MB", "", "", "", "", 0, "")
        row(S, ss[i] ": anonymous memory after the warm-up", p "anon_warm_mb", "MB", "", "", "", "", 0, "")
        row(S, ss[i] ": anonymous memory at the end", p "anon_end_mb", "MB", "", "", "", "", 0, "")
        row(S, ss[i] ": anonymous memory after a restart on the same store (the state)", p "anon_replayed_mb", "MB", "", "", "", "", 0, "")
        row(S, ss[i] ": anonymous growth per round after the warm-up", p "anon_bytes_per_round", "B", "", "", "", "", 0, "")
        row(S, ss[i] ": open files after the warm-up", p "fds_warm", "", "", "", "", "", 0, "")
        row(S, ss[i] ": open files at the end", p "fds_end", "", "", "", "", "", 0, "")
        row(S, ss[i] ": threads after the warm-up", p "threads_warm", "", "", "", "", "", 0, "")
        row(S, ss[i] ": threads at the end", p "threads_end", "", "", "", "", "", 0, "")
    }
}
AWK
    echo
    echo "Ratios are measured ÷ raw limit. Throughput is compared with LMDB's synced appends at 1,000 per commit (the fastest durable write the machine allows); latency with one synced LMDB commit (the floor of any durable answer); replay with a bare cursor walk over the same journal (cf_journal_read_records touching each record); memory with the encoded size of the cases' events. docs/performance.md explains each benchmark and what limits each figure."
} >"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
[ ${#failed[@]} -eq 0 ]
