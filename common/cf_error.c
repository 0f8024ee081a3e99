//  cf_error: descriptions of the CF_E codes.
#include "cf_error.h"

const char *
cf_strerror (int rc)
{
    switch (rc) {
        case CF_OK: return "ok";
        case CF_EINVAL: return "invalid argument";
        case CF_ENOTFOUND: return "not found";
        case CF_EEXIST: return "already exists";
        case CF_ESTORE: return "store error";
        case CF_ESTOREFULL: return "store full (LMDB map full)";
        case CF_EMISMATCH: return "store belongs to another service or format";
        case CF_ETIMEOUT: return "timed out";
        case CF_EIO: return "a file or socket operation failed";
        case CF_EPROTO: return "malformed message";
        case CF_ESTATE: return "not allowed in the current state";
        case CF_EUNAVAILABLE: return "unavailable";
        case CF_ETOOBIG: return "too big";
        case CF_EHELP: return "help printed";
        case CF_ECORRUPT: return "store damaged";
        case CF_ELOCKED: return "store in use by another process";
        case CF_ENOSPACE: return "no space left on the store's disk";
        default: return "unknown error";
    }
}
