//  cf_error: the error codes every caseflow module returns.
//
//  Runtime errors are negative ints (0 is success). Expected outcomes such
//  as "not found" are codes the caller branches on, not log lines.
#ifndef CF_ERROR_H
#define CF_ERROR_H

enum {
    CF_OK = 0,
    CF_EINVAL = -1,         //  invalid argument or value
    CF_ENOTFOUND = -2,      //  no such key or entity
    CF_EEXIST = -3,         //  already exists
    CF_ESTORE = -4,         //  the store (LMDB) failed; logged with the call
    CF_ESTOREFULL = -5,     //  the store's map is full: writes refused
    CF_EMISMATCH = -6,      //  the store belongs to another service or format
    CF_ETIMEOUT = -7,       //  no answer in time
    CF_EIO = -8,            //  a socket or file operation failed
    CF_EPROTO = -9,         //  malformed message on the wire
    CF_ESTATE = -10,        //  not allowed in the current state
    CF_EUNAVAILABLE = -11,  //  not now (rebuilding, shutting down)
    CF_ETOOBIG = -12,       //  over a size limit
    CF_EHELP = -13,         //  configuration: --help was printed
    CF_ECORRUPT = -14,      //  the store is damaged (a checksum does not match)
    CF_ELOCKED = -15,       //  the store is in use by another process (its lock)
    CF_ENOSPACE = -16,      //  the disk holding the store is full (ENOSPC, EDQUOT)
};

//  Returns a static, human-readable description of a CF_E code.
const char *
cf_strerror (int rc);

#endif
