//  make_corpus: writes the seed corpus of every fuzz target into
//  tests/fuzz/corpus/<target>/ (the files are committed; run again after
//  changing a seed here). Seeds are small valid inputs the fuzzers mutate
//  from: a few requests, events, a replay batch, command lines, command
//  sequences that build state (a provider, then a handover), sealed
//  personal data that opens with the fixed key, and key stores
//  (cf_fuzz_fixed.h).
//
//      build/<dir>/bin/fuzz_make_corpus tests/fuzz/corpus
#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"
#include "cf_fuzz_fixed.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *s_root;

static void
s_write (const char *target, const char *name, const void *data, size_t size)
{
    char path [1024];
    snprintf (path, sizeof path, "%s/%s", s_root, target);
    mkdir (path, 0755);
    snprintf (path, sizeof path, "%s/%s/%s", s_root, target, name);
    FILE *file = fopen (path, "wb");
    assert (file);
    assert (fwrite (data, 1, size, file) == size);
    fclose (file);
}

#define S_PACK(kind, message, buffer, size_p)          \
    do {                                               \
        *(size_p) = kind##__get_packed_size (message); \
        assert (*(size_p) <= sizeof (buffer));         \
        kind##__pack (message, buffer);                \
    } while (0)

//  A sequence of commands for the command targets: [len LE16][bytes]...
typedef struct {
    uint8_t data [8192];
    size_t size;
} s_seq_t;

static void
s_seq_add (s_seq_t *seq, const uint8_t *command, size_t size)
{
    assert (seq->size + 2 + size <= sizeof seq->data);
    seq->data [seq->size++] = (uint8_t) (size & 0xff);
    seq->data [seq->size++] = (uint8_t) (size >> 8);
    memcpy (seq->data + seq->size, command, size);
    seq->size += size;
}

static void
s_requests (void)
{
    uint8_t buffer [4096];
    size_t size;
    Caseflow__V1__StatusQuery status = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "01HSEED0000000000000000001";
    request.client = "seed";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    S_PACK (caseflow__v1__request, &request, buffer, &size);
    s_write ("api_request", "status-query", buffer, size);

    Caseflow__V1__ReplayRequest replay = CASEFLOW__V1__REPLAY_REQUEST__INIT;
    replay.stream = "intake";
    replay.from_seq = 1;
    replay.max_events = 100;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_REPLAY;
    request.replay = &replay;
    S_PACK (caseflow__v1__request, &request, buffer, &size);
    s_write ("api_request", "replay", buffer, size);

    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Seed Resident";
    resident.birth_date = "1980-05-17";
    resident.bsn = "111222333";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT };
    Caseflow__V1__Intake__Register reg = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    reg.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    reg.resident = &resident;
    reg.domains = domains;
    reg.n_domains = 1;
    reg.question = "help with debts";
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    intake.register_ = &reg;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    S_PACK (caseflow__v1__request, &request, buffer, &size);
    s_write ("api_request", "intake-register", buffer, size);

    Caseflow__V1__ClockAdvance advance = CASEFLOW__V1__CLOCK_ADVANCE__INIT;
    advance.micros = 86400000000;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_CLOCK_ADVANCE;
    command.clock_advance = &advance;
    S_PACK (caseflow__v1__request, &request, buffer, &size);
    s_write ("api_request", "clock-advance", buffer, size);
}

//  An intake event with seq `seq`, encoded into `buffer`.
static size_t
s_event (uint8_t *buffer, size_t cap, uint64_t seq)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Seed Resident";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = "C000001";
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WEB;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01HSEED0000000000000000002";
    event.stream = "intake";
    event.seq = seq;
    event.occurred_at = 1646092800000000;
    event.case_id = "C000001";
    event.correlation_id = "req-1";
    event.causation_id = "req-1";
    event.schema_version = 1;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    size_t size = caseflow__v1__event__get_packed_size (&event);
    assert (size <= cap);
    return caseflow__v1__event__pack (&event, buffer);
}

static void
s_events (void)
{
    uint8_t buffer [4096];
    size_t size = s_event (buffer, sizeof buffer, 7);
    s_write ("event", "case-registered", buffer, size);

    //  A replay reply with three events, seqs 1-3, behind the two bytes
    //  (cursor, stop) fuzz_replay_batch reads first.
    Caseflow__V1__Event *events [3];
    for (int i = 0; i < 3; i++) {
        uint8_t one [1024];
        size_t one_size = s_event (one, sizeof one, (uint64_t) i + 1);
        events [i] = caseflow__v1__event__unpack (NULL, one_size, one);
        assert (events [i]);
    }
    Caseflow__V1__ReplayBatch batch = CASEFLOW__V1__REPLAY_BATCH__INIT;
    batch.stream = "intake";
    batch.events = events;
    batch.n_events = 3;
    batch.last_seq = 5;
    Caseflow__V1__Reply reply = CASEFLOW__V1__REPLY__INIT;
    reply.request_id = "01HSEED0000000000000000003";
    reply.result_case = CASEFLOW__V1__REPLY__RESULT_REPLAY;
    reply.replay = &batch;
    buffer [0] = 0;
    buffer [1] = 0;
    size = caseflow__v1__reply__get_packed_size (&reply);
    assert (size + 2 <= sizeof buffer);
    caseflow__v1__reply__pack (&reply, buffer + 2);
    s_write ("replay_batch", "three-events", buffer, size + 2);
    buffer [0] = 1;
    buffer [1] = 2;
    s_write ("replay_batch", "from-cursor-1-stop-2", buffer, size + 2);
    for (int i = 0; i < 3; i++)
        caseflow__v1__event__free_unpacked (events [i], NULL);
}

static void
s_configs (void)
{
    static const char one [] = "--data-dir=/tmp/x\0--clock=manual\0--clock-start=2022-01-03\0"
                               "--map-size=64M\0--partner-api=tcp://127.0.0.1:1\0--count=7";
    s_write ("config", "flags", one, sizeof one - 1);
    static const char two [] = "--request-ttl\0"
                               "3d\0--flag\0--window=2h30m\0"
                               "--deadline=2022-06-30T12:00:00+02:00\0--partner-api\0x\0"
                               "--intake-events=tcp://127.0.0.1:5601";
    s_write ("config", "separate-values", two, sizeof two - 1);
    static const char three [] = "--help";
    s_write ("config", "help", three, sizeof three - 1);
}

static void
s_intake (void)
{
    uint8_t buffer [4096];
    size_t size;
    s_seq_t seq = { .size = 0 };
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Seed Resident";
    resident.birth_date = "1980-05-17";
    resident.phone = "06 1234 5678";
    resident.bsn = "111222333";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT,
                                        CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    Caseflow__V1__Intake__Register reg = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    reg.channel = CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN;
    reg.location = "loc-north";
    reg.resident = &resident;
    reg.domains = domains;
    reg.n_domains = 2;
    reg.question = "rent arrears";
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    command.register_ = &reg;
    S_PACK (caseflow__v1__intake__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    s_write ("intake_command", "register", seq.data, seq.size);

    Caseflow__V1__Intake__Triage triage = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    triage.case_id = "C000001";
    triage.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    triage.reason = "can wait";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    command.triage = &triage;
    S_PACK (caseflow__v1__intake__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    Caseflow__V1__Intake__RecordCallback callback = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    callback.case_id = "C000001";
    callback.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    command.record_callback = &callback;
    S_PACK (caseflow__v1__intake__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    Caseflow__V1__Intake__CreateTrack track = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    track.track_id = "money-matters";
    track.name = "Money matters";
    track.location = "loc-north";
    track.capacity = 12;
    track.starts_on = "2022-04-01";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    command.create_track = &track;
    S_PACK (caseflow__v1__intake__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    Caseflow__V1__Intake__JoinTrack join = CASEFLOW__V1__INTAKE__JOIN_TRACK__INIT;
    join.case_id = "C000001";
    join.track_id = "money-matters";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_JOIN_TRACK;
    command.join_track = &join;
    S_PACK (caseflow__v1__intake__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    Caseflow__V1__Intake__Close close = CASEFLOW__V1__INTAKE__CLOSE__INIT;
    close.case_id = "C000001";
    close.reason = "moved away";
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CLOSE;
    command.close = &close;
    S_PACK (caseflow__v1__intake__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    s_write ("intake_command", "lifecycle", seq.data, seq.size);
}

static void
s_handover (void)
{
    uint8_t buffer [4096];
    size_t size;
    s_seq_t seq = { .size = 0 };
    Caseflow__V1__Handover__AddProvider provider = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    provider.provider_id = "care-east";
    provider.name = "Care East";
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    command.add_provider = &provider;
    S_PACK (caseflow__v1__handover__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    s_write ("handover_command", "add-provider", seq.data, seq.size);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Seed Resident";
    resident.birth_date = "2008-02-29";
    resident.bsn = "111222333";
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH };
    Caseflow__V1__Handover__Announce announce = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
    announce.provider_id = "care-east";
    announce.resident = &resident;
    announce.domains = domains;
    announce.n_domains = 1;
    announce.support = "weekly youth support";
    announce.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    command.announce = &announce;
    S_PACK (caseflow__v1__handover__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    s_write ("handover_command", "announce", seq.data, seq.size);
}

static void
s_assignment (void)
{
    uint8_t buffer [4096];
    size_t size;
    s_seq_t seq = { .size = 0 };
    char *districts [] = { "north" };
    Caseflow__V1__Assignment__AddLocation location = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    location.location_id = "loc-north";
    location.name = "North";
    location.districts = districts;
    location.n_districts = 1;
    location.kind = CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_NEIGHBOURHOOD;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    command.add_location = &location;
    S_PACK (caseflow__v1__assignment__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    s_write ("assignment_command", "add-location", seq.data, seq.size);
    char *locations [] = { "loc-north" };
    Caseflow__V1__Domain expertise [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT };
    Caseflow__V1__Assignment__AddWorker worker = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    worker.worker_id = "w1";
    worker.name = "Worker One";
    worker.fte_milli = 800;
    worker.locations = locations;
    worker.n_locations = 1;
    worker.expertise = expertise;
    worker.n_expertise = 1;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
    command.add_worker = &worker;
    S_PACK (caseflow__v1__assignment__command, &command, buffer, &size);
    s_seq_add (&seq, buffer, size);
    s_write ("assignment_command", "add-worker", seq.data, seq.size);
}

static void
s_seals (void)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Fatima el Amrani";
    resident.birth_date = "1987-04-12";
    resident.phone = "+31 6 1234 5678";
    resident.district = "Oost";
    resident.bsn = "111222333";
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = &resident;
    personal.text = "Needs help with debts; call after 16:00.";
    uint8_t plain [512], box [512 + CF_SEAL_TAG_BYTES], buffer [1024];
    size_t plain_size, size;
    S_PACK (caseflow__v1__personal, &personal, plain, &plain_size);
    s_write ("seal_open", "personal", plain, plain_size);
    //  Fixed nonces: the seeds are the same bytes every time.
    uint8_t nonce [CF_SEAL_NONCE_BYTES];
    for (int i = 0; i < CF_SEAL_NONCE_BYTES; i++)
        nonce [i] = (uint8_t) i;
    Caseflow__V1__Sealed sealed;
    cf_fuzz_fixed_seal (&sealed, CF_FUZZ_KEY_ID, nonce, plain, plain_size, box);
    S_PACK (caseflow__v1__sealed, &sealed, buffer, &size);
    s_write ("seal_open", "registration", buffer, size);
    cf_fuzz_fixed_seal (&sealed, "T0123456789ABCDEFGHJKMNPQRS", nonce, plain, plain_size, box);
    S_PACK (caseflow__v1__sealed, &sealed, buffer, &size);
    s_write ("seal_open", "transit", buffer, size);
    cf_fuzz_fixed_seal (&sealed, CF_FUZZ_KEY_ID, nonce, plain, 0, box);
    S_PACK (caseflow__v1__sealed, &sealed, buffer, &size);
    s_write ("seal_open", "empty", buffer, size);
}

//  A key store input (cf_fuzz_fixed.h): the cut and shape, then records.
typedef struct {
    uint8_t data [8192];
    size_t size;
} s_store_t;

static void
s_store_init (s_store_t *store, unsigned cut, uint8_t shape)
{
    store->data [0] = (uint8_t) (cut & 0xff);
    store->data [1] = (uint8_t) (cut >> 8);
    store->data [2] = shape;
    store->size = 3;
}

static void
s_store_add (s_store_t *store, int table, const void *key, size_t key_size, const void *value,
             size_t value_size)
{
    assert (key_size < 256 && value_size < 256);
    assert (store->size + 3 + key_size + value_size <= sizeof store->data);
    store->data [store->size++] = (uint8_t) table;
    store->data [store->size++] = (uint8_t) key_size;
    store->data [store->size++] = (uint8_t) value_size;
    memcpy (store->data + store->size, key, key_size);
    memcpy (store->data + store->size + key_size, value, value_size);
    store->size += key_size + value_size;
}

//  The meta records and three residents (a key and a list of two hashes
//  each), one of them with a second key, and a tombstone; `damaged` spoils
//  a key record and a list. Tables: 0 keys, 1 subjects, 2 erased, 3 meta.
static void
s_store_fill (s_store_t *store, const char *service, bool damaged)
{
    s_store_add (store, 3, "service", 7, service, strlen (service));
    s_store_add (store, 3, "format", 6, "1", 1);
    for (int r = 0; r < 3; r++) {
        char subject [28], key_id [28];
        snprintf (subject, sizeof subject, "S%025d%c", r, 'A' + r);
        snprintf (key_id, sizeof key_id, "K%025d%c", r, 'A' + r);
        uint8_t record [27 + 32], hashes [2][32];
        memcpy (record, subject, 27);
        memset (record + 27, 0x10 + r, 32);
        memset (hashes [0], 0x20 + r, 32);
        memset (hashes [1], 0x30 + r, 32);
        s_store_add (store, 0, key_id, 27, record, damaged && r == 1 ? 58 : 59);
        s_store_add (store, 1, subject, 27, hashes, damaged && r == 0 ? 40 : 64);
        if (r == 0) {
            key_id [26] = 'T';
            s_store_add (store, 0, key_id, 27, record, 59);
        }
    }
    const uint8_t when [8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    s_store_add (store, 2, "S0000000000000000000000009Z", 27, when, 8);
}

static void
s_keystores (void)
{
    s_store_t store;
    s_store_init (&store, 0, 0);
    s_store_fill (&store, "intake", false);
    s_write ("keystore", "store", store.data, store.size);
    s_store_init (&store, 100, 0);
    s_store_fill (&store, "intake", false);
    s_write ("keystore", "cut", store.data, store.size);
    s_store_init (&store, 0, 0);
    s_store_fill (&store, "intake", true);
    s_write ("keystore", "damaged", store.data, store.size);
    s_store_init (&store, 0, 1u << 1);
    s_store_fill (&store, "intake", false);
    s_write ("keystore", "dupsort", store.data, store.size);
    s_store_init (&store, 0, 1u << 5);  //  "erased" a plain record
    s_store_fill (&store, "intake", false);
    s_write ("keystore", "plain-table", store.data, store.size);
    s_store_init (&store, 0, 0);
    s_store_fill (&store, "handover", false);
    s_write ("keystore", "other-owner", store.data, store.size);
    s_store_init (&store, 0, 0);
    s_store_add (&store, 3, "compact", 7, "1", 1);
    s_write ("keystore", "fresh-owing-compaction", store.data, store.size);
}

int
main (int argc, char *argv [])
{
    if (argc != 2) {
        fprintf (stderr, "usage: %s CORPUS-DIR\n", argv [0]);
        return 2;
    }
    s_root = argv [1];
    mkdir (s_root, 0755);
    s_requests ();
    s_events ();
    s_configs ();
    s_intake ();
    s_handover ();
    s_assignment ();
    s_seals ();
    s_keystores ();
    return 0;
}
