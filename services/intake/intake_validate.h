//  intake_validate: what intake's decisions check that is intake's own:
//  its texts' limits. The rules intake shares with the other services
//  (ids, case ids, free text, BSN, dates, phone numbers, the resident's
//  identity key) are in common/ (cf_id.h, cf_case_id.h, cf_text.h,
//  cf_resident.h, cf_calendar.h).
#ifndef INTAKE_VALIDATE_H
#define INTAKE_VALIDATE_H

//  Longest texts accepted (bytes).
#define INTAKE_MAX_NAME     200    //  a resident's or a track's name
#define INTAKE_MAX_SHORT    200    //  district, referring organisation
#define INTAKE_MAX_REASON   1000   //  triage / close / withdraw reasons
#define INTAKE_MAX_TEXT     4000   //  question, notes
#define INTAKE_MAX_CAPACITY 10000  //  places in a group track

#endif
