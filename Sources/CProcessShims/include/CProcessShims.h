#ifndef CPROCESSSHIMS_H
#define CPROCESSSHIMS_H

// What every layer needs from the OS about the process itself, below the socket layer: its
// monotonic clock, and a signal handler Swift cannot write (a handler must be
// async-signal-safe, which Swift code, with its runtime and lazy globals, is not).

#include <stdint.h>

/// Monotonic clock in nanoseconds.
uint64_t cprocess_monotonic_ns(void);

/// Installs a handler for each of `signals` that writes the signal number, as one byte, to
/// `fd` (the self-pipe pattern): whichever thread the kernel picks runs it, so no signal mask
/// has to be set before threads start. Returns 0, or -1 with errno from sigaction.
int cprocess_forward_signals(int fd, const int *signals, int count);

/// glibc: serve allocations of `bytes` or more from their own mappings, returned to the kernel
/// when freed (mallopt M_MMAP_THRESHOLD), which also stops glibc raising the threshold on its
/// own. Returns 1 when set, 0 where the C library has no such setting. See ProcessMemory.swift.
int cprocess_set_mmap_threshold(int bytes);

#endif
