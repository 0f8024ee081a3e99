#!/usr/bin/env bash
# The Helmond demo: January - March 2022 at Stichting Sociale Teams Helmond,
# played through caseflowctl on services that run on the manual clock.
#
#   deploy/run-local.sh --demo            starts the services, plays, prints the report
#                                         and one what-if beside it
#   deploy/demo/play.sh                   plays against services already running
#                                         (manual clock at 2022-01-03T08:00, empty stores)
#
# Environment: CASEFLOWCTL (the caseflowctl binary; default: on PATH),
# CASEFLOW_INTAKE_API and the other endpoint variables of caseflowctl,
# DEMO_SEED (the dice; the same seed plays the same months), DEMO_LOG
# (every command's output; default /dev/null).
#
# The story (the council letter of 7 March 2022, shared/seeds/): the phone
# line opens on Monday 3 January at 09:03 and residents find STH at once, by
# phone, at the four neighbourhood locations, through partners and through
# the municipality's front office (which has a backlog of its own); urgent
# matters are picked up at once, the others wait and are phoned every 14
# days; COVID-19 keeps workers at home in week 2; two hired workers start
# on 17 January; group tracks start in February; three specialist
# providers hand 120 residents over before 30 June. Change the data files
# (workers.tsv, locations.tsv, providers.tsv) or the numbers below and play
# again.
set -euo pipefail
DEMO=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$DEMO/lib.sh"
# shellcheck source=gateway.sh
. "$DEMO/gateway.sh"

FIRST_DAY=2022-01-03          # Monday: the phone line opens at 09:03
LAST_DAY=2022-03-06           # Sunday before the council letter
REPORT_AT=2022-03-07          # the date of the letter

# Registrations per working day, week by week: the surge of January ebbs.
PER_DAY=(26 23 19 15 12 11 10 9 8)
# Callbacks the intake team manages per working day, week by week: in
# weeks 5 and 6 illness in the team leaves some calls late.
CALLS_PER_DAY=(30 30 30 30 6 9 60 60 60)

FIRST_NAMES=(Ahmed Anja Bart Bianca Chantal Cor Dirk Elif Fatma Frank Gerda Hans Henk Ibrahim
    Jan Jolanda Karim Kees Lieke Lotte Maria Mark Mustafa Noor Petra Ria Rob Sanne Selin
    Tom Ton Wendy Willem Yvonne Zoë Ayoub Britt Daphne Erik Jasper)
LAST_NAMES=(Aarts Bakker Biemans Claassen Coppens Donkers Fransen Gevers Hendriks Hoeks
    Janssen Kanters Kuijpers Leenders Maas Manders Martens Peters Raaijmakers Rovers
    Schepers Sleegers Smits Swinkels Timmermans Verberne Verhoeven Vermeulen Vos Willems
    Yilmaz "van Bree" "van Dijk" "van Gerwen" "van Lieshout" "de Groot" "El Amrani"
    "Öztürk" "de Wit" "Bouzid")
DOMAINS=(youth support work-income debt housing mental-health other)
URGENT_REASONS=("eviction notice this week" "unsafe at home" "no income this month"
    "crisis after discharge")
REGULAR_REASONS=("help with debts" "support at home" "parenting questions"
    "looking for work" "housing problems" "loneliness and worries")
PARTNERS=("LEV-groep" "basisschool De Straap" "huisartsenpraktijk" "Woonpartners")

# -------------------------------------------------------------- the calendar

daynum "$FIRST_DAY"; FIRST=$REPLY
daynum "$LAST_DAY"; LAST=$REPLY
day_of() { dayname "$1"; DAY=$REPLY; }          # DAY = YYYY-MM-DD of a day number

say() { printf '%s\n' "$*"; }

# -------------------------------------------------------------- the set-up

LOCATIONS=() DISTRICTS=() DISTRICT_LOCATION=()
PROVIDERS=() PROVIDER_COUNT=() PROVIDER_DOMAINS=() ANNOUNCED=()

ctl_open
trap gateway_stop EXIT
NOTIFY=0
call --json status
if [[ $OUT == *'"service":"notification","alive":true'* ]]; then NOTIFY=1; fi

setup() {
    say "Setting up on 3 January 2022, 08:00: locations, workers, providers"
    clock_to "${FIRST_DAY}T08:00"
    local id name districts args list d domains
    while IFS=$'\t' read -r id name districts; do
        [[ -z $id || $id == \#* ]] && continue
        args=(assignment location add --id "$id" --name "$name")
        IFS=, read -r -a list <<<"$districts"
        for d in "${list[@]}"; do args+=(--district "$d"); done
        must "${args[@]}"
        LOCATIONS+=("$id")
        for d in "${list[@]}"; do DISTRICTS+=("$d"); DISTRICT_LOCATION+=("$id"); done
    done <"$DEMO/locations.tsv"
    add_workers -
    local count
    while IFS=$'\t' read -r id name count domains; do
        [[ -z $id || $id == \#* ]] && continue
        must handover provider add --id "$id" --name "$name"
        PROVIDERS+=("$id"); PROVIDER_COUNT+=("$count"); PROVIDER_DOMAINS+=("$domains")
    done <"$DEMO/providers.tsv"
    say "  ${#LOCATIONS[@]} locations, $WORKERS workers ($FTE FTE), ${#PROVIDERS[@]} providers"
    gateway_setup
}

# add_workers DATE: adds the workers of workers.tsv who join on DATE ('-': the start).
WORKERS=0 FTE=0
add_workers() {
    local id name fte locations expertise max joins
    while IFS=$'\t' read -r id name fte locations expertise max joins; do
        [[ -z $id || $id == \#* || $joins != "$1" ]] && continue
        must assignment worker add --id "$id" --name "$name" --fte "$fte" \
            --location "$locations" --expertise "$expertise" --max-caseload "$max"
        WORKERS=$((WORKERS + 1))
        FTE=$(awk -v a="$FTE" -v b="$fte" 'BEGIN { print a + b }')
    done <"$DEMO/workers.tsv"
}

# ------------------------------------------------------------ registrations

REGISTERED=0 URGENT=0 ADVISED=0
CASE_NAMES=() CASE_BIRTHS=()

# register HH:MM: one resident reaches STH; the intake team triages at once
# (a quarter of the questions are answered with advice and closed).
register() {
    local week=$1 name birth channel district location domains args out case
    pick "${FIRST_NAMES[@]}"; name=$REPLY
    pick "${LAST_NAMES[@]}"; name="$name $REPLY"
    rand 70; local year=$((1940 + REPLY)); rand 12; local month=$((REPLY + 1)); rand 28
    printf -v birth '%04d-%02d-%02d' "$year" "$month" "$((REPLY + 1))"
    # Now and then a resident registers again through another channel: the
    # registration joins the open case.
    if [ ${#CASE_NAMES[@]} -gt 20 ] && chance 3; then
        rand ${#CASE_NAMES[@]}; name=${CASE_NAMES[$REPLY]}; birth=${CASE_BIRTHS[$REPLY]}
    fi
    rand 100
    # The municipality's backlog sends residents to STH in the first weeks.
    local municipality=$(( week < 3 ? 20 : 8 ))
    if [ "$REPLY" -lt 52 ]; then channel=phone
    elif [ "$REPLY" -lt 66 ]; then channel=walk-in
    elif [ "$REPLY" -lt 72 ]; then channel=web
    elif [ "$REPLY" -lt $((72 + 28 - municipality)) ]; then channel=partner
    else channel=municipality; fi
    rand ${#DISTRICTS[@]}; district=${DISTRICTS[$REPLY]}; location=${DISTRICT_LOCATION[$REPLY]}
    pick "${DOMAINS[@]}"; domains=$REPLY
    if chance 35; then pick "${DOMAINS[@]}"; [ "$REPLY" != "$domains" ] && domains="$domains,$REPLY"; fi
    args=(intake register --name "$name" --birth-date "$birth" --channel "$channel"
          --domain "$domains" --district "$district" --location "$location")
    case $channel in
        partner) pick "${PARTNERS[@]}"; args+=(--referred-by "$REPLY") ;;
        municipality) args+=(--referred-by "gemeente Helmond, front office") ;;
    esac
    local advice=0
    if chance 8; then
        pick "${URGENT_REASONS[@]}"; args+=(--urgency urgent --reason "$REPLY")
        URGENT=$((URGENT + 1))
    else
        chance 25 && advice=1
        pick "${REGULAR_REASONS[@]}"; args+=(--urgency regular --reason "$REPLY")
    fi
    try "${args[@]}" || return 0
    out=$OUT
    case=${out%% *}
    REGISTERED=$((REGISTERED + 1))
    CASE_NAMES+=("$name"); CASE_BIRTHS+=("$birth")
    if [ $advice = 1 ] && [[ $out != *joined* ]]; then
        # Assignment may take the case first: let it decide, so that every
        # run of the demo gives the same journals.
        settle
        try intake advise "$case" --note "advice given by the registration and advice team" \
            && ADVISED=$((ADVISED + 1))
    fi
    return 0
}

# register_day WEEK: the day's registrations, in four blocks from 09:03
# (the clock moves block by block: registrations of a block share a time).
register_day() {
    local week=$1 total=${PER_DAY[$1]} block k
    rand 7; total=$((total + REPLY - 3))
    for block in 0 1 2 3; do
        printf -v REPLY '%02d' $((9 + 2 * block))
        clock_to "${DAY}T${REPLY}:03"
        for ((k = 0; k < total / 4 + (block < total % 4 ? 1 : 0); k++)); do
            register "$week"
        done
        if [ $block = 1 ]; then callbacks "$week"; fi
        if [ $block = 2 ]; then handover_day; fi
        if [ $block = 3 ]; then gateway_day; fi
    done
    return 0
}

# -------------------------------------------------------------- callbacks

CALLS=0
# callbacks WEEK: the intake team phones the waiting residents whose
# 14-day callback is due (notification's due reminders; without
# notification, intake's waiting list), as many as it manages that day.
callbacks() {
    local limit=${CALLS_PER_DAY[$1]} done=0 line rid case due outcome
    settle
    local list
    if [ $NOTIFY = 1 ]; then
        call --json reminders --due --kind callback --limit 10000
    else
        call --json waiting --limit 10000
    fi
    list=$(json_lines <<<"$OUT")
    while IFS= read -r line && [ "$done" -lt "$limit" ]; do
        [ -z "$line" ] && continue
        field case_id "$line"; case=$REPLY
        if [ $NOTIFY = 1 ]; then
            field reminder_id "$line"; rid=$REPLY
            field due_at "$line"; due=$REPLY
        else
            field waiting_days "$line"
            if [ "$REPLY" = 0 ] || [ $((REPLY % 14)) != 0 ]; then continue; fi
            rid="" due=""
        fi
        rand 100
        if [ "$REPLY" -lt 70 ]; then outcome=reached
        elif [ "$REPLY" -lt 88 ]; then outcome=not-reached
        elif [ "$REPLY" -lt 94 ]; then outcome=changed
        else outcome=no-longer-needed; fi
        if try intake callback "$case" --outcome "$outcome" ${due:+--due "$due"}; then
            CALLS=$((CALLS + 1))
            if [ $outcome = changed ]; then
                if chance 25; then
                    try intake triage "$case" --urgency urgent --reason "situation worsened" || true
                else
                    try intake triage "$case" --urgency regular --reason "new question" || true
                fi
            fi
        elif [ -n "$rid" ]; then
            # The case got a worker or closed meanwhile: nothing to phone about.
            try reminders ack "$rid" --by "intake team" || true
        fi
        done=$((done + 1))
    done <<<"$list"
    return 0
}

# ------------------------------------------------- workers start and finish

STARTED=0 COMPLETED=0
# work_day: each morning the workers contact the residents assigned to them
# the day before, and finish the help that has run its course (2 to 8 weeks).
work_day() {
    local line case since list
    settle
    call --json intake list --status assigned --limit 1000
    list=$(json_lines <<<"$OUT")
    while IFS= read -r line; do
        [ -z "$line" ] && continue
        field case_id "$line"; case=$REPLY
        field status_changed_at "$line"
        [[ ${REPLY:0:10} < $DAY ]] && try assignment start "$case" && STARTED=$((STARTED + 1))
    done <<<"$list"
    call --json intake list --status active --limit 1000
    list=$(json_lines <<<"$OUT")
    while IFS= read -r line; do
        [ -z "$line" ] && continue
        field case_id "$line"; case=$REPLY
        field status_changed_at "$line"; daynum "${REPLY:0:10}"; since=$REPLY
        local number=$((10#${case#C}))
        if [ $((TODAY - since)) -ge $((14 + (number * 7919) % 43)) ]; then
            try assignment complete "$case" --outcome "help completed" \
                && COMPLETED=$((COMPLETED + 1))
        fi
    done <<<"$list"
    return 0
}

# ---------------------------------------------------------------- handovers

# Handover n is announced in January, its joint meeting is held at a steady
# pace from 17 January to mid June, the next step is decided there (mostly:
# continue at STH) and the handover is completed three working days later.
H_TOTAL=0
declare -a H_ID H_MEET H_DONE
announce_day() {
    # 4 to 21 January: about 9 announcements a working day, provider by provider.
    local p n
    for ((p = 0; p < ${#PROVIDERS[@]}; p++)); do
        while [ "${ANNOUNCED[$p]:-0}" -lt "${PROVIDER_COUNT[$p]}" ]; do
            [ $((TODAY - FIRST)) -lt 1 ] && return 0
            local due=$(( PROVIDER_COUNT[p] * (TODAY - FIRST) / 18 ))
            [ "${ANNOUNCED[$p]:-0}" -ge "$due" ] && break
            announce "$p"
        done
    done
    return 0
}

announce() {
    local p=$1 name domains args out id n list
    pick "${FIRST_NAMES[@]}"; name=$REPLY; pick "${LAST_NAMES[@]}"; name="$name $REPLY"
    IFS=, read -r -a list <<<"${PROVIDER_DOMAINS[$p]}"
    pick "${list[@]}"; domains=$REPLY
    args=(handover announce --provider "${PROVIDERS[$p]}" --name "$name" --domain "$domains"
          --support "current support continues until the handover")
    n=$((H_TOTAL + 1))
    # A third of the residents keep a worker they know.
    [ $((n % 3)) = 0 ] && printf -v REPLY 'w%02d' $(( (n * 7) % 38 + 1 )) && args+=(--preferred-worker "$REPLY")
    try "${args[@]}" || return 0
    out=${OUT#handover }
    id=${out%% *}
    H_TOTAL=$n
    ANNOUNCED[p]=$(( ${ANNOUNCED[p]:-0} + 1 ))
    H_ID[n]=$id
    # The meetings, one every 1.25 days from 17 January; a weekend moves it to Monday.
    daynum 2022-01-17; local meet=$(( REPLY + (n - 1) * 150 / 120 ))
    weekday $meet; [ "$REPLY" -gt 5 ] && meet=$(( meet + 8 - REPLY ))
    H_MEET[n]=$meet
    dayname $meet
    must handover plan "$id" --at "${REPLY}T10:00" --location "${LOCATIONS[$((n % 4))]}" \
        --participant resident --participant "provider:${PROVIDERS[$p]}"
}

HO_DONE=0
handover_day() {
    local n next
    for ((n = 1; n <= H_TOTAL; n++)); do
        if [ "${H_MEET[$n]}" = "$TODAY" ]; then
            # Some residents move away or decline before the meeting.
            if [ $((n % 29)) = 0 ]; then
                try handover cancel "${H_ID[$n]}" --reason "resident moved out of Helmond"
                continue
            fi
            try handover held "${H_ID[$n]}" || continue
            rand 100
            if [ "$REPLY" -lt 72 ]; then next="continue"
            elif [ "$REPLY" -lt 86 ]; then next=stay
            elif [ "$REPLY" -lt 95 ]; then next=end
            else next=refer; fi
            try handover decide "${H_ID[$n]}" --next "$next" || continue
            if [ $next = continue ]; then
                try handover files "${H_ID[$n]}" --document "support plan" \
                    --document "care decision (beschikking)" --type plan || true
            fi
            workday_after "$TODAY" 3; H_DONE[n]=$REPLY
        elif [ "${H_DONE[$n]:-0}" = "$TODAY" ]; then
            try handover complete "${H_ID[$n]}" && HO_DONE=$((HO_DONE + 1))
        fi
    done
    return 0
}

# ---------------------------------------------------------- the other events

events_of_the_day() {
    case $DAY in
        2022-01-10)
            say "  COVID-19: w07, w14 and w23 are ill until 17 January"
            for w in w07 w14 w23; do must assignment worker absent $w --from now --until 2022-01-17T08:00; done ;;
        2022-01-17)
            say "  two hired workers start: w39 and w40"
            add_workers 2022-01-17 ;;
        2022-01-24)
            say "  w05 is ill for three weeks: the regular cases go to colleagues"
            must assignment worker absent w05 --from now --until 2022-02-14T08:00 ;;
        2022-01-31)
            say "  COVID-19 in the registration and advice team: fewer callbacks for two weeks" ;;
        2022-02-01)
            say "  group tracks for the waiting list: money matters, and parenting with the LEV-groep"
            must intake track add --id T-geld --name "Grip op je geld" --location L-centrum \
                --capacity 12 --starts 2022-02-14
            must intake track add --id T-opvoeden --name "Samen opvoeden (met LEV-groep)" \
                --location L-noord --capacity 10 --starts 2022-02-21
            join_track T-geld debt 12
            join_track T-opvoeden youth 10 ;;
        2022-02-28)
            say "  w30 falls ill, no return date yet"
            must assignment worker absent w30 --from now ;;
    esac
}

# join_track TRACK DOMAIN N: the first N waiting residents with that question join.
join_track() {
    local line joined=0 list
    settle
    call --json intake list --status waiting --domain "$2" --limit 1000
    list=$(json_lines <<<"$OUT")
    while IFS= read -r line && [ $joined -lt "$3" ]; do
        [ -z "$line" ] && continue
        field case_id "$line"
        try intake track join "$REPLY" --track "$1" && joined=$((joined + 1))
    done <<<"$list"
    return 0
}

# ------------------------------------------------------------------ the play

week_summary() {
    settle
    local csv waiting median due on_time active
    call report --csv
    csv=$OUT
    waiting=$(awk -F, '$1 == "waiting" { print $2 }' <<<"$csv")
    median=$(awk -F, '$1 == "wait_days_median" { if ($2 == "") print "-"; else printf "%.1f", $2 }' <<<"$csv")
    active=$(awk -F, '$1 == "active_cases" { print $2 }' <<<"$csv")
    on_time=$(awk -F, '$1 == "callbacks_on_time_pct" { print ($2 == "" ? "-" : $2 "%") }' <<<"$csv")
    printf '  week %d: %4d registered (%d urgent, %d advised), %3d waiting (median %s days), %3d with a worker, callbacks on time %s, handovers completed %d\n' \
        "$1" "$REGISTERED" "$URGENT" "$ADVISED" "$waiting" "$median" "$active" "$on_time" "$HO_DONE"
}

setup
say "Playing 3 January - 6 March 2022 (one line a week: totals so far)"
[ $NOTIFY = 1 ] || say "  (notification is not running: callbacks follow intake's waiting list)"
for ((TODAY = FIRST; TODAY <= LAST; TODAY++)); do
    day_of $TODAY
    weekday $TODAY
    if [ "$REPLY" -gt 5 ]; then
        if [ "$REPLY" = 7 ]; then week_summary $(( (TODAY - FIRST) / 7 + 1 )); fi
        continue
    fi
    WEEK=$(( (TODAY - FIRST) / 7 ))
    clock_to "${DAY}T08:00"
    events_of_the_day
    work_day
    if [ "$DAY" \< 2022-01-22 ]; then announce_day; fi
    register_day $WEEK
done
clock_to "${REPORT_AT}T09:00"
settle
gateway_summary

say ""
say "The council report as at ${REPORT_AT} (caseflowctl report --at ${REPORT_AT}):"
say ""
call report --at "$REPORT_AT"
printf '%s' "$OUT"
REPORT_BEFORE=$OUT

# The first caller asks to be forgotten (AVG art. 17): their keys go, every
# figure stays. A question the law asks the municipality to keep an archive
# of (support, work and income, debts) lets caseflow refuse the request
# while its retention period runs; the municipality honours it all the same,
# and says why. The subject id is random, so only the cases are shown.
say ""
say "The resident of case C000001 asks to be erased (caseflowctl resident erase C000001):"
if ! try resident erase C000001 --reason "AVG art. 17 request 2022-031"; then
    say "  refused: the retention rule of the case's domain lets caseflow keep the file;"
    say "  the municipality honours the request all the same (--override-retention):"
    must resident erase C000001 --override-retention \
        --reason "AVG art. 17 request 2022-031, honoured: no decision rests on the file"
fi
say "  erased: $(printf '%s' "$OUT" | sed -n 's/^cases  *//p')"
call intake show C000001
say "  intake show C000001 now reads: $(printf '%s' "$OUT" | sed -n 's/^name  *//p') (name), $(printf '%s' "$OUT" | sed -n 's/^question  *//p') (question)"
call report --at "$REPORT_AT"
if [ "$OUT" = "$REPORT_BEFORE" ]; then
    say "  the council report as at ${REPORT_AT}, asked again: unchanged, figure for figure"
else
    say "  the council report as at ${REPORT_AT} CHANGED after the erasure:"
    printf '%s' "$OUT"
fi

# What if: the same registrations, the same roster and absences, decided
# again by assignment's own policy in a sandbox in the console, with three
# more workers at Centrum from 10 January (docs/whatif.md). The actual
# column is the report above; nothing live is touched.
say ""
say "What if three more workers had joined at Centrum on 10 January?"
say "(caseflowctl whatif --from 2022-01-03 --to ${REPORT_AT}T09:00 --add-workers 3 --location L-centrum ...):"
say ""
call whatif --from 2022-01-03 --to "${REPORT_AT}T09:00" --add-workers 3 --location L-centrum \
    --expertise youth,support,work-income,debt,housing,mental-health,other --starting 2022-01-10
printf '%s' "$OUT"
[ "$RC" = 0 ] || say "  the what-if failed (exit $RC)"
ctl_close
gateway_stop
cat <<EOF

Try next (the manual clock stands at ${REPORT_AT} 09:00):
  caseflowctl report --at 2022-01-21            the figures as they were in the surge
  caseflowctl --json report --at 2022-03-07     the same as JSON (--csv for a spreadsheet)
  caseflowctl case show C000001                 the first caller's whole timeline
  caseflowctl waiting --limit 10                who waits longest
  caseflowctl reminders --due                   callbacks and alerts to handle now
  caseflowctl forecast --weeks 8                the waiting list ahead at this inflow
  caseflowctl whatif --from 2022-01-03 --to 2022-03-07 --remove-absence w07 --remove-absence w14
                                                without the COVID-19 absences of week 2
  caseflowctl handover progress                 the handover against 30 June
  caseflowctl assignment worker list            caseload and absence per worker
  caseflowctl clock advance 1d                  and watch the reminders fire
  caseflowctl gateway publisher list            who publishes through the gateway
  caseflowctl webhooks list                     the webhook subscription and its figures
  caseflowctl tail                              live events (Ctrl-C stops)
EOF
