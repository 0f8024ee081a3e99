//  console_strings: the web page's words (see console_strings.h). One row
//  per string, Dutch first; the words of the services' enum values after.
#include "console_strings.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static const char *const s_strings [CS_COUNT][CONSOLE_LANG_COUNT] = {
    [CS_APP_TITLE] = { "caseflow console", "caseflow console" },
    [CS_SKIP_LINK] = { "Direct naar de inhoud", "Skip to content" },
    [CS_NAV_LABEL] = { "Hoofdmenu", "Main menu" },
    [CS_NAV_TODAY] = { "Vandaag", "Today" },
    [CS_NAV_WAITING] = { "Wachtlijst", "Waiting list" },
    [CS_NAV_HANDOVERS] = { "Overdrachten", "Handovers" },
    [CS_NAV_REPORT] = { "Rapportage", "Report" },
    [CS_NAV_CASE] = { "Casus", "Case" },
    [CS_OTHER_LANGUAGE] = { "English", "Nederlands" },
    [CS_SIGNED_IN_AS] = { "Aangemeld als", "Signed in as" },
    [CS_ROLE] = { "Rol", "Role" },
    [CS_ROLE_NONE] = { "geen rol", "no role" },
    [CS_ROLE_READ_ONLY] = { "alleen lezen", "read only" },
    [CS_ROLE_CALLER] = { "beller", "caller" },
    [CS_ROLE_TEAM_LEAD] = { "teamleider", "team lead" },
    [CS_NOT_SIGNED_IN] = { "Niet aangemeld", "Not signed in" },
    [CS_NOT_SIGNED_IN_TEXT] = { "Meld u aan via het portaal van de organisatie.",
                                "Sign in through the organisation's portal." },
    [CS_NO_ROLE_TEXT] = { "U bent aangemeld, maar hebt geen rol in de console. Vraag een "
                          "beheerder om u toe te voegen.",
                          "You are signed in but have no role in the console. Ask an "
                          "administrator to add you." },
    [CS_FORBIDDEN] = { "Geen toegang", "Not allowed" },
    [CS_FORBIDDEN_TEXT] = { "Uw rol staat deze handeling niet toe.",
                            "Your role does not allow this." },
    [CS_NOT_FOUND] = { "Niet gevonden", "Not found" },
    [CS_NOT_FOUND_TEXT] = { "Deze pagina of casus bestaat niet.",
                            "This page or case does not exist." },
    [CS_FORM_EXPIRED] = { "Formulier verlopen", "Form expired" },
    [CS_FORM_EXPIRED_TEXT] = { "Het formulier is verlopen of komt niet van deze console. Open "
                               "de pagina opnieuw en probeer het nog eens.",
                               "The form has expired or did not come from this console. Open "
                               "the page again and try once more." },
    [CS_UNAVAILABLE] = { "Nog niet bijgewerkt", "Not caught up yet" },
    [CS_UNAVAILABLE_TEXT] = { "De console is nog niet bij met alle stromen. Probeer het zo "
                              "nog eens.",
                              "The console has not caught up with every stream yet. Try "
                              "again shortly." },
    [CS_BAD_REQUEST] = { "Onjuiste invoer", "Invalid input" },
    [CS_FAILED] = { "Niet gelukt", "Did not succeed" },
    [CS_MISSING_TEXT] = { "Dit kan de console nog niet: de dienst die het uitvoert ontbreekt.",
                          "The console cannot do this yet: the service that does it is "
                          "missing." },
    [CS_CLOCK] = { "Klok van de diensten", "Services' clock" },
    [CS_TODAY_TITLE] = { "Vandaag", "Today" },
    [CS_TODAY_CALLBACKS] = { "Nu terugbellen", "Callbacks to make now" },
    [CS_TODAY_NONE] = { "Er zijn nu geen terugbelacties.", "There are no callbacks to make now." },
    [CS_TODAY_CLAIM] = { "Volgende oppakken", "Take the next one" },
    [CS_TODAY_CLAIMED] = { "Door u opgepakt", "Taken by you" },
    [CS_CLAIMED_BY] = { "Opgepakt door", "Claimed by" },
    [CS_TODAY_HOLDING] = { "U belt nu", "You are calling" },
    [CS_TODAY_LEASE_UNTIL] = { "Vastgehouden tot", "Held until" },
    [CS_TODAY_RELEASE] = { "Teruggeven", "Give back" },
    [CS_TODAY_PARK] = { "Parkeren voor teamleider", "Park for a team lead" },
    [CS_TODAY_RECORD] = { "Uitkomst vastleggen", "Record the outcome" },
    [CS_TODAY_OUTCOME] = { "Uitkomst", "Outcome" },
    [CS_TODAY_NOTE] = { "Notitie (optioneel)", "Note (optional)" },
    [CS_TODAY_REASON] = { "Reden", "Reason" },
    [CS_TODAY_ALERTS] = { "Meldingen", "Alerts" },
    [CS_TODAY_NO_ALERTS] = { "Geen urgente casussen zonder medewerker.",
                             "No urgent cases without a worker." },
    [CS_TODAY_URGENT] = { "Urgent", "Urgent" },
    [CS_TODAY_NO_WORKER] = { "Geen medewerker beschikbaar", "No worker available" },
    [CS_TODAY_NEXT] = { "Volgende", "Next" },
    [CS_TODAY_RECORDED] = { "Vastgelegd.", "Recorded." },
    [CS_OUTCOME_REACHED] = { "Bereikt", "Reached" },
    [CS_OUTCOME_NOT_REACHED] = { "Niet bereikt", "Not reached" },
    [CS_OUTCOME_CHANGED] = { "Situatie veranderd", "Situation changed" },
    [CS_OUTCOME_NO_LONGER_NEEDED] = { "Niet meer nodig", "No longer needed" },
    [CS_CASE_ID] = { "Casus", "Case" },
    [CS_DUE] = { "Gepland op", "Due" },
    [CS_KIND] = { "Soort", "Kind" },
    [CS_LOCATION] = { "Locatie", "Location" },
    [CS_POSITION] = { "Positie", "Position" },
    [CS_DAYS_WAITING] = { "Dagen wachtend", "Days waiting" },
    [CS_DOMAINS] = { "Domeinen", "Domains" },
    [CS_URGENCY] = { "Urgentie", "Urgency" },
    [CS_REGISTERED] = { "Aangemeld op", "Registered" },
    [CS_STATUS] = { "Status", "Status" },
    [CS_CHANNEL] = { "Kanaal", "Channel" },
    [CS_WORKER] = { "Medewerker", "Worker" },
    [CS_NONE_YET] = { "nog geen", "none yet" },
    [CS_ALL] = { "Alle", "All" },
    [CS_FILTER] = { "Filteren", "Filter" },
    [CS_COUNT_SHOWN] = { "Getoond", "Shown" },
    [CS_WAITING_TITLE] = { "Wachtlijst", "Waiting list" },
    [CS_WAITING_EMPTY] = { "Niemand wacht (met deze filters).",
                           "Nobody is waiting (with these filters)." },
    [CS_PAGES_LABEL] = { "Pagina's van de wachtlijst", "Pages of the waiting list" },
    [CS_PAGE_PREVIOUS] = { "Vorige pagina", "Previous page" },
    [CS_PAGE_NEXT] = { "Volgende pagina", "Next page" },
    [CS_ROWS] = { "Rijen", "Rows" },
    [CS_ROWS_OF] = { "van", "of" },
    [CS_WAITING_ON_LIST] = { "op de hele wachtlijst", "on the whole waiting list" },
    [CS_HANDOVERS_TITLE] = { "Overdrachten", "Handovers" },
    [CS_PROVIDER] = { "Aanbieder", "Provider" },
    [CS_TOTAL] = { "Totaal", "Total" },
    [CS_COMPLETED] = { "Afgerond", "Completed" },
    [CS_DECIDED] = { "Besloten", "Decided" },
    [CS_IN_PROGRESS] = { "Lopend", "In progress" },
    [CS_CANCELLED] = { "Geannuleerd", "Cancelled" },
    [CS_OVERDUE] = { "Over de deadline", "Overdue" },
    [CS_FORECAST] = { "Verwachte afronding", "Forecast completion" },
    [CS_DEADLINE] = { "Deadline", "Deadline" },
    [CS_ALL_PROVIDERS] = { "Alle aanbieders", "All providers" },
    [CS_NO_FORECAST] = { "nog geen voorspelling", "no forecast yet" },
    [CS_ON_TRACK] = { "Voor de deadline klaar", "Done by the deadline" },
    [CS_ON_TRACK_YES] = { "ja", "yes" },
    [CS_ON_TRACK_NO] = { "nee", "no" },
    [CS_REPORT_TITLE] = { "Rapportage", "Report" },
    [CS_REPORT_AT] = { "Peildatum", "Date" },
    [CS_REPORT_SHOW] = { "Tonen", "Show" },
    [CS_REPORT_FIGURES] = { "Kerncijfers", "Key figures" },
    [CS_FIGURE] = { "Cijfer", "Figure" },
    [CS_VALUE] = { "Waarde", "Value" },
    [CS_REGISTRATIONS_TOTAL] = { "Aanmeldingen", "Registrations" },
    [CS_WAITING] = { "Wachtend", "Waiting" },
    [CS_WAIT_MEDIAN] = { "Wachttijd, mediaan (dagen)", "Wait, median (days)" },
    [CS_WAIT_P90] = { "Wachttijd, 90e percentiel (dagen)", "Wait, 90th percentile (days)" },
    [CS_URGENT_TOTAL] = { "Urgente aanmeldingen", "Urgent registrations" },
    [CS_URGENT_PICKUP] = { "Oppaktijd urgent, mediaan (uren)", "Urgent pickup, median (hours)" },
    [CS_CALLBACKS_DUE] = { "Terugbelacties gepland", "Callbacks due" },
    [CS_CALLBACKS_ON_TIME] = { "Terugbelacties op tijd (%)", "Callbacks on time (%)" },
    [CS_ACTIVE_CASES] = { "Lopende casussen", "Active cases" },
    [CS_CLOSED_CASES] = { "Gesloten casussen", "Closed cases" },
    [CS_WORKERS_ACTIVE] = { "Medewerkers aan het werk", "Workers active" },
    [CS_WORKERS_ABSENT] = { "Medewerkers afwezig", "Workers absent" },
    [CS_FTE_ACTIVE] = { "Fte aan het werk", "FTE active" },
    [CS_CASELOAD_BY_LOCATION] = { "Caseload per locatie", "Caseload by location" },
    [CS_CASELOAD] = { "Caseload", "Caseload" },
    [CS_REGISTRATIONS_BY_CHANNEL] = { "Aanmeldingen per kanaal", "Registrations by channel" },
    [CS_CALLS_OFFERED] = { "Gesprekken aangeboden", "Calls offered" },
    [CS_CALLS_ANSWERED] = { "Gesprekken beantwoord (%)", "Calls answered (%)" },
    [CS_CALL_ANSWER_SECONDS] = { "Tijd tot opnemen, mediaan (seconden)",
                                 "Time to answer a call, median (seconds)" },
    [CS_DECISIONS_PENDING] = { "Besluiten in behandeling", "Decisions pending" },
    [CS_DECISIONS_PENDING_DAYS] = { "Wachttijd op een besluit, mediaan (dagen)",
                                    "Wait for a decision, median (days)" },
    [CS_DECISIONS_BY_LAW] = { "Besluiten in behandeling per wet", "Decisions pending by law" },
    [CS_LAW] = { "Wet", "Law" },
    [CS_CASELOAD_BY_WORKER] = { "Caseload per medewerker", "Caseload by worker" },
    [CS_NOT_AVAILABLE] = { "geen gegevens", "no data" },
    [CS_CHART_REGISTRATIONS] = { "Aanmeldingen per week per kanaal",
                                 "Registrations per week by channel" },
    [CS_CHART_WAITING] = { "Wachtlijst en mediane wachttijd", "Waiting list and median wait" },
    [CS_CHART_CALLBACKS] = { "Terugbelacties op tijd per week", "Callbacks on time per week" },
    [CS_CHART_HANDOVERS] = { "Overdrachten afgerond tegen de deadline, met voorspelling",
                             "Handovers completed against the deadline, with the forecast" },
    [CS_CHART_CALLS] = { "Beantwoorde gesprekken per week", "Calls answered per week" },
    [CS_CHART_TABLE] = { "Cijfers als tabel", "Figures as a table" },
    [CS_CHART_NO_DATA] = { "Nog geen gegevens voor deze grafiek.", "No data for this chart yet." },
    [CS_WEEK] = { "Week", "Week" },
    [CS_WAITING_LENGTH] = { "Wachtenden", "Waiting" },
    [CS_MEDIAN_WAIT_DAYS] = { "Mediane wachttijd (dagen)", "Median wait (days)" },
    [CS_ON_TIME_PCT] = { "Op tijd (%)", "On time (%)" },
    [CS_COMPLETED_PCT] = { "Afgerond (%)", "Completed (%)" },
    [CS_FORECAST_LINE] = { "Voorspelling (%)", "Forecast (%)" },
    [CS_ANSWERED_PCT] = { "Beantwoord (%)", "Answered (%)" },
    [CS_PERCENT] = { "Procent", "Percent" },
    [CS_NUMBER] = { "Aantal", "Number" },
    [CS_DAYS] = { "Dagen", "Days" },
    [CS_CASE_TITLE] = { "Casus", "Case" },
    [CS_CASE_LOOKUP] = { "Casusnummer", "Case number" },
    [CS_CASE_OPEN] = { "Openen", "Open" },
    [CS_TIMELINE] = { "Tijdlijn", "Timeline" },
    [CS_STREAM] = { "Stroom", "Stream" },
    [CS_SEQ] = { "Volgnummer", "Seq" },
    [CS_TYPE] = { "Gebeurtenis", "Event" },
    [CS_TIME] = { "Tijdstip", "Time" },
    [CS_SUMMARY] = { "Samenvatting", "Summary" },
    [CS_PERSONAL] = { "Persoonsgegevens", "Personal details" },
    [CS_PERSONAL_SHOW] = { "Persoonsgegevens tonen", "Show personal details" },
    [CS_PERSONAL_RECORDED] = { "Elke inzage wordt op uw naam vastgelegd in het inzagelogboek.",
                               "Every view is recorded under your name in the access log." },
    [CS_PERSONAL_NOT_CACHED] = { "Deze gegevens worden niet bewaard; sluit de pagina na gebruik.",
                                 "These details are not kept; close the page after use." },
    [CS_NAME] = { "Naam", "Name" },
    [CS_BIRTH_DATE] = { "Geboortedatum", "Birth date" },
    [CS_BSN] = { "BSN", "BSN" },
    [CS_PHONE] = { "Telefoon", "Phone" },
    [CS_DISTRICT] = { "Wijk", "District" },
    [CS_QUESTION] = { "Hulpvraag", "Question" },
    [CS_ERASED] = { "gewist", "erased" },
    [CS_CALLBACKS] = { "Terugbelacties", "Callbacks" },
};

//  The services' words (CLI.md) and the Dutch ones the team reads.
static const struct {
    const char *word;
    const char *dutch;
} s_words [] = {
    { "phone", "telefoon" },
    { "walk-in", "inloop" },
    { "web", "website" },
    { "partner", "partner" },
    { "municipality", "gemeente" },
    { "handover", "overdracht" },
    { "youth", "jeugd" },
    { "support", "ondersteuning thuis" },
    { "work-income", "werk en inkomen" },
    { "debt", "schulden" },
    { "housing", "wonen" },
    { "mental-health", "psychische gezondheid" },
    { "other", "overig" },
    { "wmo", "Wmo" },
    { "jeugdwet", "Jeugdwet" },
    { "participatiewet", "Participatiewet" },
    { "urgent", "urgent" },
    { "regular", "regulier" },
    { "registered", "aangemeld" },
    { "waiting", "wachtend" },
    { "assigned", "toegewezen" },
    { "active", "actief" },
    { "closed", "gesloten" },
    { "callback", "terugbellen" },
    { "callback-overdue", "terugbellen te laat" },
    { "no-worker", "geen medewerker" },
    { "handover-deadline", "deadline overdracht" },
    { "waiting-too-long", "te lang wachtend" },
    { "reached", "bereikt" },
    { "not-reached", "niet bereikt" },
    { "changed", "situatie veranderd" },
    { "no-longer-needed", "niet meer nodig" },
    { "intake", "intake" },
    { "assignment", "toewijzing" },
    { "notification", "signalering" },
    { "gateway", "gateway" },
};

//  What each kind of event means, for a case's timeline: by the type name
//  the streams give it (cf_event_type_name), Dutch then English. Only the
//  kind, never a field of the event, so no summary holds personal data.
//  The kinds of the four streams a timeline draws from (intake,
//  assignment, handover, notification) are all here (a unit test walks
//  the Event message's fields of those streams).
static const struct {
    const char *type;
    const char *text [CONSOLE_LANG_COUNT];
} s_summaries [] = {
    //  intake
    { "CaseRegistered", { "Aanmelding geregistreerd", "Case registered" } },
    { "QuestionAdded", { "Hulpvraag toegevoegd", "Question added" } },
    { "CaseTriaged", { "Urgentie beoordeeld", "Urgency assessed" } },
    { "CallbackRecorded", { "Terugbelgesprek vastgelegd", "Callback call recorded" } },
    { "TrackCreated", { "Groepstraject aangemaakt", "Group track created" } },
    { "TrackJoined", { "Deelname aan groepstraject", "Joined a group track" } },
    { "CaseClosed", { "Casus gesloten", "Case closed" } },
    { "CaseStatusChanged", { "Status gewijzigd", "Status changed" } },
    { "ResidentErased", { "Persoonsgegevens gewist", "Personal details erased" } },
    { "ResidentHeld",
      { "Gegevens vastgehouden na bewaartermijn", "Held past the retention period" } },
    { "ResidentReleased", { "Vasthouden opgeheven", "Hold released" } },
    { "InboundOutcome", { "Extern bericht verwerkt", "Inbound event handled" } },
    { "DecisionLinked", { "Besluit gekoppeld", "Decision linked" } },
    //  assignment
    { "LocationAdded", { "Locatie toegevoegd", "Location added" } },
    { "WorkerJoined", { "Medewerker in dienst", "Worker joined" } },
    { "WorkerChanged", { "Medewerker gewijzigd", "Worker changed" } },
    { "WorkerAbsent", { "Afwezigheid van medewerker gemeld", "Worker's absence entered" } },
    { "WorkerReturned", { "Medewerker terug", "Worker returned" } },
    { "WorkerLeft", { "Medewerker uit dienst", "Worker left" } },
    { "CaseAssigned", { "Toegewezen aan een medewerker", "Assigned to a worker" } },
    { "CaseUnassigned", { "Toewijzing ingetrokken", "Assignment withdrawn" } },
    { "CaseStarted", { "Begeleiding gestart", "Work on the case started" } },
    { "CaseCompleted", { "Begeleiding afgerond", "Work on the case completed" } },
    { "AssignmentEscalated",
      { "Geëscaleerd: niemand kan de casus nemen", "Escalated: nobody can take the case" } },
    { "WorkerAbsenceStarted", { "Afwezigheid van medewerker begonnen", "Worker's absence began" } },
    //  handover
    { "ProviderAdded", { "Aanbieder toegevoegd", "Provider added" } },
    { "HandoverAnnounced", { "Overdracht aangekondigd", "Handover announced" } },
    { "MeetingPlanned", { "Overdrachtsgesprek gepland", "Handover meeting planned" } },
    { "MeetingHeld", { "Overdrachtsgesprek gehouden", "Handover meeting held" } },
    { "NextStepDecided", { "Vervolg besloten", "Next step decided" } },
    { "FilesTransferred", { "Dossier overgedragen", "Files transferred" } },
    { "HandoverCompleted", { "Overdracht afgerond", "Handover completed" } },
    { "HandoverCancelled", { "Overdracht geannuleerd", "Handover cancelled" } },
    //  notification
    { "ReminderScheduled", { "Herinnering gepland", "Reminder scheduled" } },
    { "ReminderCancelled", { "Herinnering vervallen", "Reminder cancelled" } },
    { "ReminderDue", { "Herinnering gaat af", "Reminder due" } },
    { "ReminderAcknowledged", { "Herinnering afgehandeld", "Reminder acknowledged" } },
    { "CallbackAnswered", { "Terugbelactie beantwoord", "Callback answered" } },
    { "RetentionDue", { "Bewaartermijn verstreken", "Retention period ended" } },
    { "ReminderClaimed", { "Terugbelactie opgepakt", "Callback taken" } },
    { "ReminderReleased", { "Terugbelactie teruggegeven", "Callback given back" } },
    { "ReminderLeaseExpired",
      { "Terugbelactie vrijgekomen: tijd verstreken", "Callback's claim expired" } },
    { "ReminderParked", { "Geparkeerd voor de teamleider", "Parked for a team lead" } },
    { "ReminderClaimCompleted", { "Terugbelactie voltooid", "Callback completed" } },
};

const char *
console_string (console_lang_t lang, console_string_t id)
{
    assert (lang < CONSOLE_LANG_COUNT && id < CS_COUNT);
    const char *text = s_strings [id][lang];
    return text ? text : "";
}

const char *
console_word (console_lang_t lang, const char *word)
{
    if (!word || lang == CONSOLE_LANG_EN)
        return word ? word : "";
    for (size_t i = 0; i < sizeof s_words / sizeof *s_words; i++)
        if (strcmp (s_words [i].word, word) == 0)
            return s_words [i].dutch;
    return word;
}

const char *
console_event_summary (console_lang_t lang, const char *type)
{
    assert (lang < CONSOLE_LANG_COUNT);
    if (!type)
        return "";
    for (size_t i = 0; i < sizeof s_summaries / sizeof *s_summaries; i++)
        if (strcmp (s_summaries [i].type, type) == 0)
            return s_summaries [i].text [lang];
    return type;
}

const char *
console_lang_code (console_lang_t lang)
{
    return lang == CONSOLE_LANG_EN ? "en" : "nl";
}

bool
console_lang_parse (const char *code, console_lang_t *lang_p)
{
    if (code && strcmp (code, "nl") == 0)
        *lang_p = CONSOLE_LANG_NL;
    else if (code && strcmp (code, "en") == 0)
        *lang_p = CONSOLE_LANG_EN;
    else
        return false;
    return true;
}

console_lang_t
console_lang_choose (const char *query, const char *cookie, bool *remember_p)
{
    console_lang_t lang = CONSOLE_LANG_NL;
    *remember_p = console_lang_parse (query, &lang);
    if (!*remember_p && !console_lang_parse (cookie, &lang))
        lang = CONSOLE_LANG_NL;
    return lang;
}

char *
console_decimal (console_lang_t lang, double value, int decimals, char *out, size_t size)
{
    snprintf (out, size, "%.*f", decimals, value);
    if (lang == CONSOLE_LANG_NL) {
        char *point = strchr (out, '.');
        if (point)
            *point = ',';
    }
    return out;
}

const char *
console_cookie (const char *header, const char *name, char *out, size_t size)
{
    size_t name_length = strlen (name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr (p, ';');
        size_t length = end ? (size_t) (end - p) : strlen (p);
        if (length > name_length && strncmp (p, name, name_length) == 0 && p [name_length] == '=') {
            size_t value = length - name_length - 1;
            if (value >= size)
                value = size - 1;
            memcpy (out, p + name_length + 1, value);
            out [value] = 0;
            return out;
        }
        p = end;
    }
    return NULL;
}
