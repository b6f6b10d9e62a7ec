#include "CProcessShims.h"

#include <errno.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t cprocess_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static volatile sig_atomic_t cprocess_signal_fd = -1;

// Async-signal-safe: write(2) and errno only (POSIX.1-2017 2.4.3).
static void cprocess_on_signal(int signal_number) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal_number;
    if (cprocess_signal_fd >= 0) {
        ssize_t written = write((int)cprocess_signal_fd, &byte, 1);
        (void)written;  // a full pipe already holds an undelivered signal: nothing is lost
    }
    errno = saved;
}

int cprocess_forward_signals(int fd, const int *signals, int count) {
    cprocess_signal_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = cprocess_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return 0;
}

int cprocess_set_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
