#ifndef CSOCKETSHIMS_H
#define CSOCKETSHIMS_H

// The few socket calls Swift's Glibc/Darwin modules do not expose (epoll, accept4,
// eventfd) or expose awkwardly (packed `struct epoll_event`, `MSG_NOSIGNAL` writes).
// Every function has a portable fallback so the package also builds on macOS.

#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

/// 1 when the epoll backend exists on this platform.
int cshim_has_epoll(void);

/// epoll_create1(EPOLL_CLOEXEC); -1/ENOSYS without epoll.
int cshim_epoll_create(void);
/// op: 0 add, 1 modify, 2 delete. `readable`/`writable` select EPOLLIN/EPOLLOUT (level-triggered).
int cshim_epoll_ctl(int epfd, int op, int fd, int readable, int writable);
/// Waits and unpacks the (packed on x86_64) epoll_event array into plain arrays.
/// flags bit 0: readable, 1: writable, 2: hang-up or error.
int cshim_epoll_wait(int epfd, int32_t *fds, uint32_t *flags, int max, int timeout_ms);

/// accept4(SOCK_NONBLOCK|SOCK_CLOEXEC) on Linux; accept + fcntl elsewhere.
int cshim_accept(int listen_fd);

/// Non-blocking, close-on-exec TCP listener bound to host:port with SO_REUSEADDR and,
/// when reuse_port, SO_REUSEPORT. Returns the fd or -1 with errno set.
int cshim_listen_tcp(const char *host, int port, int reuse_port, int backlog);
/// The bound port of a socket, or -1.
int cshim_local_port(int fd);

/// TCP_NODELAY (and SO_NOSIGPIPE where it exists).
int cshim_configure_connection(int fd);

/// writev that never raises SIGPIPE (sendmsg + MSG_NOSIGNAL on Linux).
ssize_t cshim_writev(int fd, const struct iovec *iov, int count);

/// send of one buffer that never raises SIGPIPE (MSG_NOSIGNAL on Linux).
ssize_t cshim_send(int fd, const void *bytes, size_t count);

/// A wake-up channel: eventfd on Linux (read_fd == write_fd), a pipe elsewhere.
int cshim_wakeup_create(int *read_fd, int *write_fd);
void cshim_wakeup_signal(int write_fd);
void cshim_wakeup_drain(int read_fd);

/// Monotonic clock in nanoseconds.
uint64_t cshim_monotonic_ns(void);

/// Installs a handler for each of `signals` that writes the signal number, as one byte, to
/// `fd` (the self-pipe pattern): whichever thread the kernel picks runs it, so no signal mask
/// has to be set before threads start. Returns 0, or -1 with errno from sigaction.
int cshim_forward_signals(int fd, const int *signals, int count);

#endif
