#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
// The system's zlib: gzip request bodies (Content-Encoding: gzip) from agents.
#include <zlib.h>
#endif
