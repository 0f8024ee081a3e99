//  console_strings: every word the web page shows, in one table, in Dutch
//  (the team's language, the default) and English.
//
//  A page asks for a string by its id (console_string) or for the word of
//  an enum value the services speak in English on the wire ("phone",
//  "work-income": console_word). A test checks that every id has both
//  languages, so a page never shows an empty label.
//
//  The language is chosen per request: `?lang=en` or `?lang=nl` on any
//  page shows it in that language and remembers the choice in a cookie
//  (`caseflow_lang`, SameSite=Lax, a year); without either, Dutch
//  (console_lang_choose). Accept-Language is not followed: the team's
//  browsers are often English while its language is Dutch.
#ifndef CONSOLE_STRINGS_H
#define CONSOLE_STRINGS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { CONSOLE_LANG_NL = 0, CONSOLE_LANG_EN, CONSOLE_LANG_COUNT } console_lang_t;

typedef enum {
    CS_APP_TITLE,
    CS_SKIP_LINK,
    CS_NAV_LABEL,
    CS_NAV_TODAY,
    CS_NAV_WAITING,
    CS_NAV_HANDOVERS,
    CS_NAV_REPORT,
    CS_NAV_CASE,
    CS_OTHER_LANGUAGE,  //  the link to the other language, in that language
    CS_SIGNED_IN_AS,
    CS_ROLE,
    CS_ROLE_NONE,
    CS_ROLE_READ_ONLY,
    CS_ROLE_CALLER,
    CS_ROLE_TEAM_LEAD,
    CS_NOT_SIGNED_IN,
    CS_NOT_SIGNED_IN_TEXT,
    CS_NO_ROLE_TEXT,
    CS_FORBIDDEN,
    CS_FORBIDDEN_TEXT,
    CS_NOT_FOUND,
    CS_NOT_FOUND_TEXT,
    CS_FORM_EXPIRED,
    CS_FORM_EXPIRED_TEXT,
    CS_UNAVAILABLE,
    CS_UNAVAILABLE_TEXT,
    CS_BAD_REQUEST,
    CS_FAILED,
    CS_MISSING_TEXT,
    CS_CLOCK,
    //  Today
    CS_TODAY_TITLE,
    CS_TODAY_CALLBACKS,
    CS_TODAY_NONE,
    CS_TODAY_CLAIM,
    CS_TODAY_CLAIMED,
    CS_CLAIMED_BY,
    CS_TODAY_HOLDING,
    CS_TODAY_LEASE_UNTIL,
    CS_TODAY_RELEASE,
    CS_TODAY_PARK,
    CS_TODAY_RECORD,
    CS_TODAY_OUTCOME,
    CS_TODAY_NOTE,
    CS_TODAY_REASON,
    CS_TODAY_ALERTS,
    CS_TODAY_NO_ALERTS,
    CS_TODAY_URGENT,
    CS_TODAY_NO_WORKER,
    CS_TODAY_NEXT,
    CS_TODAY_RECORDED,
    CS_OUTCOME_REACHED,
    CS_OUTCOME_NOT_REACHED,
    CS_OUTCOME_CHANGED,
    CS_OUTCOME_NO_LONGER_NEEDED,
    //  Columns and fields
    CS_CASE_ID,
    CS_DUE,
    CS_KIND,
    CS_LOCATION,
    CS_POSITION,
    CS_DAYS_WAITING,
    CS_DOMAINS,
    CS_URGENCY,
    CS_REGISTERED,
    CS_STATUS,
    CS_CHANNEL,
    CS_WORKER,
    CS_NONE_YET,
    CS_ALL,
    CS_FILTER,
    CS_COUNT_SHOWN,
    //  Waiting list
    CS_WAITING_TITLE,
    CS_WAITING_EMPTY,
    CS_PAGES_LABEL,
    CS_PAGE_PREVIOUS,
    CS_PAGE_NEXT,
    CS_ROWS,
    CS_ROWS_OF,
    CS_WAITING_ON_LIST,
    //  Handovers
    CS_HANDOVERS_TITLE,
    CS_PROVIDER,
    CS_TOTAL,
    CS_COMPLETED,
    CS_DECIDED,
    CS_IN_PROGRESS,
    CS_CANCELLED,
    CS_OVERDUE,
    CS_FORECAST,
    CS_DEADLINE,
    CS_ALL_PROVIDERS,
    CS_NO_FORECAST,
    CS_ON_TRACK,
    CS_ON_TRACK_YES,
    CS_ON_TRACK_NO,
    //  Report
    CS_REPORT_TITLE,
    CS_REPORT_AT,
    CS_REPORT_SHOW,
    CS_REPORT_FIGURES,
    CS_FIGURE,
    CS_VALUE,
    CS_REGISTRATIONS_TOTAL,
    CS_WAITING,
    CS_WAIT_MEDIAN,
    CS_WAIT_P90,
    CS_URGENT_TOTAL,
    CS_URGENT_PICKUP,
    CS_CALLBACKS_DUE,
    CS_CALLBACKS_ON_TIME,
    CS_ACTIVE_CASES,
    CS_CLOSED_CASES,
    CS_WORKERS_ACTIVE,
    CS_WORKERS_ABSENT,
    CS_FTE_ACTIVE,
    CS_CASELOAD_BY_LOCATION,
    CS_CASELOAD,
    CS_REGISTRATIONS_BY_CHANNEL,
    CS_CALLS_OFFERED,
    CS_CALLS_ANSWERED,
    CS_CALL_ANSWER_SECONDS,
    CS_DECISIONS_PENDING,
    CS_DECISIONS_PENDING_DAYS,
    CS_DECISIONS_BY_LAW,
    CS_LAW,
    CS_CASELOAD_BY_WORKER,
    CS_NOT_AVAILABLE,
    //  Charts
    CS_CHART_REGISTRATIONS,
    CS_CHART_WAITING,
    CS_CHART_CALLBACKS,
    CS_CHART_HANDOVERS,
    CS_CHART_CALLS,
    CS_CHART_TABLE,
    CS_CHART_NO_DATA,
    CS_WEEK,
    CS_WAITING_LENGTH,
    CS_MEDIAN_WAIT_DAYS,
    CS_ON_TIME_PCT,
    CS_COMPLETED_PCT,
    CS_FORECAST_LINE,
    CS_ANSWERED_PCT,
    CS_PERCENT,
    CS_NUMBER,
    CS_DAYS,
    //  Case
    CS_CASE_TITLE,
    CS_CASE_LOOKUP,
    CS_CASE_OPEN,
    CS_TIMELINE,
    CS_STREAM,
    CS_SEQ,
    CS_TYPE,
    CS_TIME,
    CS_SUMMARY,
    CS_PERSONAL,
    CS_PERSONAL_SHOW,
    CS_PERSONAL_RECORDED,
    CS_PERSONAL_NOT_CACHED,
    CS_NAME,
    CS_BIRTH_DATE,
    CS_BSN,
    CS_PHONE,
    CS_DISTRICT,
    CS_QUESTION,
    CS_ERASED,
    CS_CALLBACKS,
    CS_COUNT
} console_string_t;

//  The string `id` in `lang` (static, never NULL).
const char *
console_string (console_lang_t lang, console_string_t id);

//  The word for `word`, an enum value as the services write it ("phone",
//  "walk-in", "work-income", "urgent", "waiting", "callback-overdue"), in
//  `lang`; `word` itself when the table does not know it. Static or
//  borrowed from `word`.
const char *
console_word (console_lang_t lang, const char *word);

//  What an event of `type` (its type name, cf_event_type_name:
//  "CaseRegistered") means, in `lang`, for a case's timeline: the kind
//  alone, never a field of the event (no personal data). `type` itself
//  when the table does not know it. Static or borrowed from `type`.
const char *
console_event_summary (console_lang_t lang, const char *type);

//  The language's code for `lang="…"` and `?lang=` ("nl", "en").
const char *
console_lang_code (console_lang_t lang);

//  Reads a language code; false for anything else.
bool
console_lang_parse (const char *code, console_lang_t *lang_p);

//  The language of a request from its `?lang=` value and its cookie's
//  value (either NULL when absent): the query first, then the cookie,
//  then Dutch. *remember_p is set when the query chose one (the page then
//  sets the cookie).
console_lang_t
console_lang_choose (const char *query, const char *cookie, bool *remember_p);

//  Writes `value` with `decimals` digits after the separator of `lang`
//  (a comma in Dutch) into `out` (`size` bytes). Returns `out`.
char *
console_decimal (console_lang_t lang, double value, int decimals, char *out, size_t size);

//  A cookie's value from a Cookie header ("a=1; caseflow_lang=en"), NULL
//  when absent, copied into `out` (`size` bytes, truncated).
const char *
console_cookie (const char *header, const char *name, char *out, size_t size);

#endif
