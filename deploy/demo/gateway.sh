# shellcheck shell=bash
# deploy/demo/gateway.sh: the systems around the social team, sourced by
# play.sh. They speak CloudEvents over HTTP through caseflow-gateway
# (docs/cloudevents.md): the municipality's front office and a partner refer
# residents, a care provider announces a handover, the back office requests
# and issues care decisions, the telephone platform reports its calls; and a
# consumer's webhook receiver (receiver.py) is subscribed to notification's
# due reminders. Nothing here uses the dice: the story of play.sh stays as it
# was, and what the systems send follows from the day and a counter.
#
# Tokens are made here, one per publisher and one for the receiver, in
# files (mode 0600) under $DEMO_VAR (run-local.sh: var/demo/demo); curl
# reads the Authorization header from a file beside them, so no token is
# printed or appears in the process list.

GW_HTTP=${DEMO_GATEWAY_HTTP:-http://127.0.0.1:8641}
GATEWAY=0                      # 1: the gateway answers; the systems publish
GW_DAY=0                       # working days the systems have published on
RECEIVER_PID="" WEBHOOK=""

# The publishers: id, source, types, channel. P-ggz is handover's provider id.
GW_PUBLISHERS=(
    "front-office|urn:nld:oin:00000001234567890000:systeem:frontoffice|nl.sociaal-domein.verwijzing-ontvangen|municipality"
    "LEV-groep|urn:nld:kvknr:40000001:systeem:lev-verwijzing|nl.sociaal-domein.verwijzing-ontvangen|partner"
    "P-ggz|urn:nld:kvknr:40000002:systeem:ggz-peelland-dossier|nl.sociaal-domein.overdracht-aangekondigd|provider"
    "back-office|urn:nld:oin:00000001234567890000:systeem:backoffice|nl.sociaal-domein.beschikking-aangevraagd,nl.sociaal-domein.beschikking-afgegeven|municipality"
    "telephony|urn:nld:oin:00000001234567890000:systeem:telefonie|nl.telefonie.gesprek-aangeboden,nl.telefonie.gesprek-beantwoord,nl.telefonie.gesprek-afgebroken|telephony"
)
declare -A GW_SOURCE

# new_token NAME: $DEMO_VAR/NAME.token (the token) and NAME.header (curl's header).
new_token() {
    (
        umask 077
        od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$DEMO_VAR/$1.token"
        printf 'Authorization: Bearer %s\n' "$(cat "$DEMO_VAR/$1.token")" >"$DEMO_VAR/$1.header"
    )
}

# gateway_clock TIME: the gateway's manual clock to TIME. `caseflowctl
# clock` without --only moves the four stream services only
# (services/gateway/README.md): the time the gateway records an event at
# (`received_at`, the `occurred_at` the report's decision and call figures
# are folded on) is moved to the demo's day here.
gateway_clock() { must clock set "$1" --only gateway; }

gateway_setup() {
    call gateway publisher list
    [ "$RC" = 0 ] || return 0
    GATEWAY=1
    DEMO_VAR=${DEMO_VAR:-$(mktemp -d)}
    mkdir -p "$DEMO_VAR"
    gateway_clock "${FIRST_DAY}T08:00"
    local entry id source types channel
    for entry in "${GW_PUBLISHERS[@]}"; do
        IFS='|' read -r id source types channel <<<"$entry"
        new_token "$id"
        must gateway publisher add --id "$id" --source "$source" --type "$types" \
            --channel "$channel" --token-file "$DEMO_VAR/$id.token"
        GW_SOURCE[$id]=$source
    done
    # The consumer: a sink that appends each delivery to a file.
    : >"$DEMO_VAR/webhook-deliveries.jsonl"
    rm -f "$DEMO_VAR/webhook.port"
    new_token webhook
    python3 "$DEMO/receiver.py" "$DEMO_VAR/webhook-deliveries.jsonl" "$DEMO_VAR/webhook.port" \
        "$DEMO_VAR/webhook.token" 2>>"$DEMO_LOG" &
    RECEIVER_PID=$!
    local _
    for _ in $(seq 1 100); do [ -s "$DEMO_VAR/webhook.port" ] && break; sleep 0.05; done
    [ -s "$DEMO_VAR/webhook.port" ] || { echo "demo: the webhook receiver did not start" >&2; exit 1; }
    must --json webhooks add --sink "http://127.0.0.1:$(cat "$DEMO_VAR/webhook.port")/caseflow" \
        --type nl.sociaal-domein.notification.reminder-due --token-file "$DEMO_VAR/webhook.token"
    field subscription_id "$OUT"; WEBHOOK=$REPLY
    say "  the gateway: ${#GW_PUBLISHERS[@]} publishers (front office, LEV-groep, P-ggz, back office, telephone platform);"
    say "  a webhook receiver subscribed to nl.sociaal-domein.notification.reminder-due"
}

gateway_stop() {
    [ -n "$RECEIVER_PID" ] || return 0
    kill -TERM "$RECEIVER_PID" 2>/dev/null || true
    wait "$RECEIVER_PID" 2>/dev/null || true
    RECEIVER_PID=""
}

# publish PUBLISHER EVENT...: POSTs the events (JSON objects, each without
# source and time: the publisher's source, the demo's clock) as one batch.
GW_NOW=""
publish() {
    local id=$1 body="" event status
    shift
    for event in "$@"; do
        body+=${body:+,}"{\"specversion\":\"1.0\",\"source\":\"${GW_SOURCE[$id]}\",\"time\":\"$GW_NOW\",${event#\{}"
    done
    status=$(curl -sS -o "$DEMO_VAR/answer" -w '%{http_code}' -H @"$DEMO_VAR/$id.header" \
        -H 'Content-Type: application/cloudevents-batch+json' --data-binary "[$body]" \
        "$GW_HTTP/events") || status=000
    if [ "$status" != 202 ]; then
        echo "demo: the gateway answered $status to $id:" >&2
        cat "$DEMO_VAR/answer" >&2; echo >&2
        exit 1
    fi
}

# applied PUBLISHER ID: waits until intake or handover has applied (or
# rejected) the event; REPLY = its state.
applied() {
    local _
    for _ in $(seq 1 200); do
        call --json gateway event "${GW_SOURCE[$1]}" "$2"
        field state "$OUT"
        if [ "$REPLY" = applied ] || [ "$REPLY" = rejected ]; then
            local state=$REPLY
            REPLY=$state
            return 0
        fi
        sleep 0.05
    done
    echo "demo: event $2 of $1 was not applied within 10 s" >&2
    exit 1
}

# gateway_day: at 15:03 the systems send what the day brought.
declare -a GW_DECISIONS
gateway_day() {
    [ $GATEWAY = 1 ] || return 0
    GW_DAY=$((GW_DAY + 1))
    local n=$GW_DAY time=${DAY}T15:03 k id name birth events=()
    GW_NOW=${time}:00+01:00
    gateway_clock "$time"
    # A referral from the front office every day, from LEV-groep every other day.
    local ids=() fo=FO-2022-$((1000 + n))
    name="${FIRST_NAMES[$(( (n * 7) % ${#FIRST_NAMES[@]} ))]} ${LAST_NAMES[$(( (n * 11) % ${#LAST_NAMES[@]} ))]}"
    printf -v birth '%04d-%02d-%02d' $((1950 + (n * 13) % 55)) $((1 + n % 12)) $((1 + (n * 5) % 28))
    publish front-office "{\"id\":\"$fo\",\"type\":\"nl.sociaal-domein.verwijzing-ontvangen\",\"data\":{\"resident\":{\"name\":\"$name\",\"birth_date\":\"$birth\"},\"domains\":[\"${DOMAINS[$((n % 7))]}\"],\"question\":\"referred by the front office\",\"urgency\":\"regular\",\"reason\":\"front office backlog\"}}"
    ids+=("front-office $fo")
    if [ $((n % 2)) = 0 ]; then
        local lev=LEV-$((n / 2))
        name="${FIRST_NAMES[$(( (n * 3) % ${#FIRST_NAMES[@]} ))]} ${LAST_NAMES[$(( (n * 5) % ${#LAST_NAMES[@]} ))]}"
        printf -v birth '%04d-%02d-%02d' $((1960 + (n * 7) % 50)) $((1 + (n * 5) % 12)) $((1 + n % 28))
        publish LEV-groep "{\"id\":\"$lev\",\"type\":\"nl.sociaal-domein.verwijzing-ontvangen\",\"data\":{\"resident\":{\"name\":\"$name\",\"birth_date\":\"$birth\"},\"domains\":[\"youth\",\"support\"],\"question\":\"parenting questions\",\"partner_reference\":\"LEV-$n\"}}"
        ids+=("LEV-groep $lev")
    fi
    # P-ggz announces one resident through the gateway on the first day.
    if [ $n = 1 ]; then
        publish P-ggz "{\"id\":\"ggz-ovd-0001\",\"type\":\"nl.sociaal-domein.overdracht-aangekondigd\",\"data\":{\"resident\":{\"name\":\"Marieke Smulders\",\"birth_date\":\"1971-04-12\"},\"domains\":[\"mental-health\"],\"support\":\"ambulant support, 2 hours a week\",\"deadline\":\"2022-06-30\"}}"
        ids+=("P-ggz ggz-ovd-0001")
    fi
    # The back office requests a decision for a resident the social team
    # registered, and issues the ones requested 15 working days ago but
    # every third: its backlog grows.
    if [ ${#CASE_NAMES[@]} -gt 0 ]; then
        k=$(( (n * 37) % ${#CASE_NAMES[@]} ))
        local laws=(wmo jeugdwet participatiewet wmo)
        GW_DECISIONS[n]="{\"resident\":{\"name\":\"${CASE_NAMES[$k]}\",\"birth_date\":\"${CASE_BIRTHS[$k]}\"},\"decision_id\":\"BO-2022-$((100 + n))\",\"law\":\"${laws[$((n % 4))]}\"}"
        events=("{\"id\":\"BO-2022-$((100 + n))-aangevraagd\",\"type\":\"nl.sociaal-domein.beschikking-aangevraagd\",\"data\":${GW_DECISIONS[n]}}")
        ids+=("back-office BO-2022-$((100 + n))-aangevraagd")
        if [ $n -gt 15 ] && [ -n "${GW_DECISIONS[n - 15]:-}" ] && [ $(((n - 15) % 3)) != 0 ]; then
            events+=("{\"id\":\"BO-2022-$((85 + n))-afgegeven\",\"type\":\"nl.sociaal-domein.beschikking-afgegeven\",\"data\":${GW_DECISIONS[n - 15]}}")
            ids+=("back-office BO-2022-$((85 + n))-afgegeven")
        fi
        publish back-office "${events[@]}"
    fi
    # The telephone platform: six calls a day on the social team's line; one
    # in six hangs up in the queue.
    events=()
    local c queued answered
    for c in 1 2 3 4 5 6; do
        id=call-$n-$c
        printf -v queued '%sT%02d:%02d:00+01:00' "$DAY" $((9 + c)) $(( (n * c * 7) % 50 ))
        events+=("{\"id\":\"$id-aangeboden\",\"type\":\"nl.telefonie.gesprek-aangeboden\",\"data\":{\"call_id\":\"$id\",\"line\":\"sociaal-team\",\"queued_at\":\"$queued\"}}")
        if [ $(( (n + c) % 6 )) = 0 ]; then
            events+=("{\"id\":\"$id-afgebroken\",\"type\":\"nl.telefonie.gesprek-afgebroken\",\"data\":{\"call_id\":\"$id\",\"line\":\"sociaal-team\",\"queued_at\":\"$queued\"}}")
        else
            printf -v answered '%s:%02d+01:00' "${queued:0:16}" $(( 10 + (n * 17 + c * 23) % 49 ))
            events+=("{\"id\":\"$id-beantwoord\",\"type\":\"nl.telefonie.gesprek-beantwoord\",\"data\":{\"call_id\":\"$id\",\"line\":\"sociaal-team\",\"queued_at\":\"$queued\",\"answered_at\":\"$answered\"}}")
        fi
    done
    publish telephony "${events[@]}"
    # Intake and handover apply what came in before the clock moves on.
    local entry
    for entry in "${ids[@]}"; do
        applied "${entry% *}" "${entry#* }"
        if [ $n = 1 ]; then
            call gateway event "${GW_SOURCE[${entry% *}]}" "${entry#* }"
            say "  caseflowctl gateway event ${GW_SOURCE[${entry% *}]} ${entry#* }:"
            printf '%s' "$OUT" | sed -n -e 's/^/    /' \
                -e '/^    \(type\|received at\|state\|reason\|case id\|handover id\) /p'
        fi
    done
}

# gateway_summary: what the webhook receiver got, once every delivery is made.
gateway_summary() {
    [ $GATEWAY = 1 ] || return 0
    local _ pending=1 delivered
    for _ in $(seq 1 200); do
        call --json webhooks status "$WEBHOOK"
        field pending "$OUT"; pending=$REPLY
        field retrying "$OUT"
        [ "$pending" = 0 ] && [ "$REPLY" = 0 ] && break
        sleep 0.05
    done
    field delivered "$OUT"; delivered=$REPLY
    # Each event once (delivery is at least once), by kind of reminder.
    local summary
    summary=$(python3 - "$DEMO_VAR/webhook-deliveries.jsonl" <<'PY'
import json, sys
events = {}
for line in open(sys.argv[1], encoding="utf-8"):
    event = json.loads(line)
    events[event["id"]] = event
kinds = {}
for event in events.values():
    kind = event["data"]["reminder"]["kind"]
    kinds[kind] = kinds.get(kind, 0) + 1
calls = sorted((e["time"], e["subject"]) for e in events.values()
               if e["data"]["reminder"]["kind"] == "callback")
print("%d events: %s" % (len(events), ", ".join("%s %d" % k for k in sorted(kinds.items()))))
if calls:
    print("the first callback at %s (%s), 14 days after that resident's triage" % calls[0])
PY
)
    say "  the webhook receiver got, once every delivery was made ($delivered delivered, $pending pending):"
    printf '%s\n' "$summary" | sed 's/^/    /'
}
