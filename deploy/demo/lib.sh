# shellcheck shell=bash
# deploy/demo/lib.sh: the helpers behind the demo scenario (sourced by
# play.sh): calling caseflowctl, a deterministic dice, dates, and reading
# caseflowctl's JSON without tools beyond bash and sed.

CTL=${CASEFLOWCTL:-caseflowctl}
DEMO_LOG=${DEMO_LOG:-/dev/null}

# The demo talks to one `caseflowctl batch` process: a command a line, its
# output followed by "## exit N". Starting a process per command would take
# longer than the commands.
ctl_open() {
    coproc CTLP { exec "$CTL" batch 2>>"$DEMO_LOG"; }
}
ctl_close() {
    local fd=${CTLP[1]}
    eval "exec $fd>&-"
    wait "$CTLP_PID" 2>/dev/null || true
}

# call ARGS: runs `caseflowctl ARGS`; OUT = its output, RC = its exit status.
call() {
    local word line quoted=""
    for word in "$@"; do
        word=${word//\'/\'\\\'\'}
        quoted+="'$word' "
    done
    printf '%s\n' "$quoted" >&"${CTLP[1]}"
    OUT=""
    while IFS= read -r line <&"${CTLP[0]}"; do
        if [[ $line == "## exit "* ]]; then
            RC=${line#"## exit "}
            return 0
        fi
        OUT+=$line$'\n'
    done
    echo "demo: caseflowctl batch stopped; the last lines of $DEMO_LOG:" >&2
    tail -n 5 "$DEMO_LOG" >&2
    exit 1
}

# ctl ARGS: caseflowctl, output on stdout.
ctl() { call "$@"; printf '%s' "$OUT"; return "$RC"; }

# try ARGS: caseflowctl with its output in the log; a refusal is logged and
# the scenario goes on (a case may have moved on since it was listed).
try() {
    call "$@"
    printf '%s' "$OUT" >>"$DEMO_LOG"
    [ "$RC" = 0 ] && return 0
    echo "(refused, exit $RC: caseflowctl $*)" >>"$DEMO_LOG"
    return 1
}

# must ARGS: caseflowctl; a failure stops the demo.
must() {
    call "$@"
    printf '%s' "$OUT" >>"$DEMO_LOG"
    [ "$RC" = 0 ] && return 0
    echo "demo: 'caseflowctl $*' failed (exit $RC); the last lines of $DEMO_LOG:" >&2
    tail -n 5 "$DEMO_LOG" >&2
    exit 1
}

# clock_to TIME: every service's clock to TIME (the manual clock); the
# console's too (`clock` without --only moves the four stream services only;
# the console answers no moment after its clock: docs/console.md).
clock_to() { settle; must clock set "$1"; must clock set "$1" --only console; }

# settle: wait until every service has applied what its upstreams decided.
settle() { must status --settle; }

# rand N: REPLY = 0..N-1, from a linear congruential generator seeded by
# DEMO_SEED: the same seed plays the same months.
SEED=${DEMO_SEED:-20220103}
rand() {
    SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 ))
    REPLY=$(( (SEED / 65536) % $1 ))
}

# chance PERCENT: true that often.
chance() { rand 100; [ "$REPLY" -lt "$1" ]; }

# pick WORD...: REPLY = one of the words.
pick() {
    rand $#
    shift "$REPLY"
    REPLY=$1
}

# daynum YYYY-MM-DD: REPLY = days since 1970-01-01 (civil calendar arithmetic).
daynum() {
    local y=$((10#${1:0:4})) m=$((10#${1:5:2})) d=$((10#${1:8:2}))
    [ "$m" -le 2 ] && y=$((y - 1))
    local era=$((y / 400)) yoe mp doy doe
    yoe=$((y - era * 400))
    mp=$(( (m + 9) % 12 ))
    doy=$(( (153 * mp + 2) / 5 + d - 1 ))
    doe=$(( yoe * 365 + yoe / 4 - yoe / 100 + doy ))
    REPLY=$(( era * 146097 + doe - 719468 ))
}

# dayname N: REPLY = YYYY-MM-DD of day number N (inverse of daynum).
dayname() {
    local z=$(( $1 + 719468 )) era doe yoe y doy mp d m
    era=$(( z / 146097 ))
    doe=$(( z - era * 146097 ))
    yoe=$(( (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 ))
    y=$(( yoe + era * 400 ))
    doy=$(( doe - (365 * yoe + yoe / 4 - yoe / 100) ))
    mp=$(( (5 * doy + 2) / 153 ))
    d=$(( doy - (153 * mp + 2) / 5 + 1 ))
    m=$(( mp < 10 ? mp + 3 : mp - 9 ))
    [ "$m" -le 2 ] && y=$((y + 1))
    printf -v REPLY '%04d-%02d-%02d' "$y" "$m" "$d"
}

# weekday N: REPLY = 1 (Monday) .. 7 (Sunday) for day number N.
weekday() { REPLY=$(( ( ($1 + 3) % 7 + 7) % 7 + 1 )); }

# workday_after N K: REPLY = the day number K working days after day N.
workday_after() {
    local n=$1 k=$2
    while [ "$k" -gt 0 ]; do
        n=$((n + 1))
        weekday "$n"
        [ "$REPLY" -le 5 ] && k=$((k - 1))
    done
    REPLY=$n
}

# json_lines: splits caseflowctl's JSON list (stdin) into one object a line.
json_lines() { sed -e 's/^\[//' -e 's/\]$//' -e 's/},{"/}\n{"/g'; }

# field KEY LINE: REPLY = the string (or number) value of KEY in LINE ("" if none).
field() {
    local re="\"$1\":\"?([^\",}]*)"
    if [[ $2 =~ $re ]]; then REPLY=${BASH_REMATCH[1]}; else REPLY=""; fi
}
