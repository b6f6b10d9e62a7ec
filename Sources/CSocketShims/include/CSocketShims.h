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

// UDP and addresses, for the STUN reflector and the agent. IP addresses cross this boundary as
// plain bytes (4 for IPv4, 16 for IPv6, network order) so Swift never touches a sockaddr.

/// Parses a numeric IPv4 or IPv6 address into `ip` (16 bytes of room). Returns 4, 16 or -1.
int cshim_parse_ip(const char *text, uint8_t *ip);
/// Writes the text form of a 4- or 16-byte address into `out`. Returns 0 or -1.
int cshim_format_ip(const uint8_t *ip, int ip_len, char *out, int out_len);
/// getaddrinfo for `host` (numeric or a name): up to `max` addresses into `ips` (16 bytes each)
/// with their lengths in `lens`. Returns the count, or -1 when the name does not resolve.
int cshim_resolve(const char *host, uint8_t *ips, int *lens, int max);

/// A non-blocking, close-on-exec UDP socket of the family of `ip_len` (4 or 16), bound to the
/// address and port (0: the kernel picks). An IPv6 socket is dual-stack (IPV6_V6ONLY off), so
/// `::` also receives IPv4. Returns the fd or -1 with errno set.
int cshim_udp_bind(const uint8_t *ip, int ip_len, int port);
/// sendto. On an IPv6 socket a 4-byte address is sent as its IPv4-mapped form.
ssize_t cshim_udp_sendto(int fd, const void *bytes, size_t count, const uint8_t *ip, int ip_len, int port);
/// send on a connected socket.
ssize_t cshim_udp_send(int fd, const void *bytes, size_t count);
/// recvfrom; IPv4-mapped sources are reported as IPv4. *truncated is 1 when the datagram did not fit.
ssize_t cshim_udp_recvfrom(int fd, void *bytes, size_t count, uint8_t *ip, int *ip_len, int *port, int *truncated);
/// connect (a 4-byte address on an IPv6 socket is connected as IPv4-mapped).
int cshim_udp_connect(int fd, const uint8_t *ip, int ip_len, int port);
/// getsockname as bytes and port (IPv4-mapped reported as IPv4). Returns 0 or -1.
int cshim_socket_address(int fd, uint8_t *ip, int *ip_len, int *port);
/// poll for readability of `fd` or `wake_fd` (ignored when < 0). Returns 1 when `fd` is
/// readable, 0 on timeout or wake-up, -1 with errno. `timeout_ms` < 0 waits forever.
int cshim_poll_readable(int fd, int wake_fd, int timeout_ms);


#endif
