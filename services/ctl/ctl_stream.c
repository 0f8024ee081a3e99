//  ctl_stream: the streams' identities (DESIGN.md, "Streams have an
//  identity"): `stream status` asks every service for its own stream's
//  epoch and head and for its cursors on the streams it follows, and puts
//  each stream with its subscribers; `stream accept STREAM --subscriber
//  SERVICE` tells one subscriber to take a diverged producer's new
//  history (docs/operations.md says when).
#include "ctl.h"
#include "ctl_render.h"

#include "cf_bus_identity.h"

#include <string.h>

//  The services asked, in CLI.md's order: the four streams, the gateway,
//  then the console, which follows but produces no stream anyone follows.
static const ctl_service_t s_asked [] = { CTL_INTAKE,       CTL_ASSIGNMENT, CTL_HANDOVER,
                                          CTL_NOTIFICATION, CTL_GATEWAY,    CTL_CONSOLE };
#define S_ASKED (sizeof s_asked / sizeof s_asked [0])

static json_t *
s_epoch (uint64_t epoch)
{
    if (!epoch)
        return json_null ();
    char text [17];
    cf_bus_epoch_text (epoch, text);
    return json_string (text);
}

//  The subscribers of `stream` among the answers.
static json_t *
s_subscribers (const char *stream, const Caseflow__V1__StreamStatus *const *answers)
{
    json_t *list = json_array ();
    for (size_t s = 0; s < S_ASKED; s++)
        for (size_t c = 0; answers [s] && c < answers [s]->n_cursors; c++) {
            const Caseflow__V1__StreamCursor *cursor = answers [s]->cursors [c];
            if (strcmp (cursor->stream, stream) != 0)
                continue;
            json_t *object = json_object ();
            json_object_set_new (object, "service", json_string (answers [s]->stream));
            json_object_set_new (object, "epoch", s_epoch (cursor->epoch));
            json_object_set_new (object, "cursor", json_integer ((json_int_t) cursor->cursor));
            json_object_set_new (object, "state", json_string (cursor->state));
            json_object_set_new (object, "reason", ctl_json_text_or_null (cursor->reason));
            json_object_set_new (object, "producer_epoch", s_epoch (cursor->producer_epoch));
            json_object_set_new (object, "head", json_integer ((json_int_t) cursor->head));
            json_array_append_new (list, object);
        }
    return list;
}

static void
s_print_table (const json_t *streams)
{
    ctl_table_t *table =
        ctl_table_new ("STREAM EPOCH LAST_SEQ SUBSCRIBER CURSOR_EPOCH CURSOR STATE");
    size_t i;
    json_t *stream;
    json_array_foreach (streams, i, stream)
    {
        char last_seq [24];
        snprintf (last_seq, sizeof last_seq, "%lld",
                  (long long) json_integer_value (json_object_get (stream, "last_seq")));
        const json_t *subscribers = json_object_get (stream, "subscribers");
        size_t j;
        json_t *sub;
        for (j = 0; j == 0 || j < json_array_size (subscribers); j++) {
            sub = json_array_get (subscribers, j);
            ctl_table_cell (table, json_string_value (json_object_get (stream, "stream")));
            ctl_table_cell (table, json_string_value (json_object_get (stream, "epoch")));
            ctl_table_cell (table, last_seq);
            if (!sub) {
                for (int k = 0; k < 4; k++)
                    ctl_table_cell (table, NULL);
                continue;
            }
            char cursor [24], state [64];
            snprintf (cursor, sizeof cursor, "%lld",
                      (long long) json_integer_value (json_object_get (sub, "cursor")));
            const char *reason = json_string_value (json_object_get (sub, "reason"));
            snprintf (state, sizeof state, "%s%s%s",
                      json_string_value (json_object_get (sub, "state")),
                      reason && *reason ? ": " : "", reason && *reason ? reason : "");
            ctl_table_cell (table, json_string_value (json_object_get (sub, "service")));
            ctl_table_cell (table, json_string_value (json_object_get (sub, "epoch")));
            ctl_table_cell (table, cursor);
            ctl_table_cell (table, state);
        }
    }
    ctl_table_print (&table);
}

static int
s_status (const ctl_args_t *args)
{
    Caseflow__V1__Reply *replies [S_ASKED] = { NULL };
    const Caseflow__V1__StreamStatus *answers [S_ASKED] = { NULL };
    int status = CTL_OK;
    for (size_t s = 0; s < S_ASKED; s++) {
        int rc =
            ctl_ask (args->ctl, s_asked [s], CTL_QUERY,
                     ctl_message_new (&caseflow__v1__stream_status_query__descriptor),
                     "stream_status", 1000, &replies [s], (const ProtobufCMessage **) &answers [s]);
        if (rc != CTL_OK)
            answers [s] = NULL;
        //  A service the deployment does not run, or that is down, has no
        //  row; one that refuses makes the exit status 1.
        if (rc == CTL_REFUSED)
            status = CTL_REFUSED;
    }
    json_t *streams = json_array ();
    for (size_t s = 0; s < S_ASKED; s++) {
        if (!answers [s] || s_asked [s] == CTL_CONSOLE)
            continue;
        json_t *object = json_object ();
        json_object_set_new (object, "stream", json_string (answers [s]->stream));
        json_object_set_new (object, "epoch", s_epoch (answers [s]->epoch));
        json_object_set_new (object, "last_seq", json_integer ((json_int_t) answers [s]->last_seq));
        json_object_set_new (object, "subscribers", s_subscribers (answers [s]->stream, answers));
        json_array_append_new (streams, object);
    }
    for (size_t s = 0; s < S_ASKED; s++)
        if (replies [s])
            caseflow__v1__reply__free_unpacked (replies [s], NULL);
    if (args->ctl->json)
        ctl_json_print (streams);
    else {
        s_print_table (streams);
        json_decref (streams);
    }
    return status;
}

static int
s_accept (const ctl_args_t *args)
{
    const char *name = ctl_arg (args, "subscriber");
    bool wanted [CTL_ENDPOINT_COUNT];
    int rc = ctl_parse_services ("--subscriber", &name, 1, CTL_ENDPOINT_COUNT, wanted);
    if (rc != CTL_OK)
        return rc;
    ctl_service_t service = CTL_INTAKE;
    for (int s = 0; s < CTL_ENDPOINT_COUNT; s++)
        if (wanted [s])
            service = (ctl_service_t) s;
    Caseflow__V1__StreamAccept *accept = ctl_message_new (&caseflow__v1__stream_accept__descriptor);
    accept->stream = strdup (args->positional [0]);
    Caseflow__V1__Reply *reply = NULL;
    const Caseflow__V1__StreamAccepted *accepted = NULL;
    rc = ctl_ask (args->ctl, service, CTL_COMMAND, &accept->base, "stream_accepted", 0, &reply,
                  (const ProtobufCMessage **) &accepted);
    if (rc == CTL_OK) {
        json_t *object = json_object ();
        json_object_set_new (object, "stream", json_string (accepted->stream));
        json_object_set_new (object, "subscriber", json_string (ctl_service_name (service)));
        json_object_set_new (object, "epoch", s_epoch (accepted->epoch));
        json_object_set_new (object, "cursor", json_integer ((json_int_t) accepted->cursor));
        json_object_set_new (object, "previous_epoch", s_epoch (accepted->previous_epoch));
        json_object_set_new (object, "previous_cursor",
                             json_integer ((json_int_t) accepted->previous_cursor));
        if (args->ctl->json)
            ctl_json_print (object);
        else {
            printf ("%s now follows %s from seq %llu of epoch %s (was seq %llu of epoch %s)\n",
                    ctl_service_name (service), accepted->stream,
                    (unsigned long long) accepted->cursor,
                    json_string_value (json_object_get (object, "epoch")),
                    (unsigned long long) accepted->previous_cursor,
                    json_is_string (json_object_get (object, "previous_epoch"))
                        ? json_string_value (json_object_get (object, "previous_epoch"))
                        : "none");
            json_decref (object);
        }
    }
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    return rc;
}

const ctl_verb_t ctl_stream_verbs [] = {
    CTL_RUN ("stream", "status", "", "", NULL, s_status),
    CTL_RUN ("stream", "accept", "STREAM --subscriber SERVICE", "subscriber!", "STREAM", s_accept),
    { NULL },
};
