#define _GNU_SOURCE
#include "CSocketShims.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif

int cshim_has_epoll(void) {
#if defined(__linux__)
    return 1;
#else
    return 0;
#endif
}

int cshim_epoll_create(void) {
#if defined(__linux__)
    return epoll_create1(EPOLL_CLOEXEC);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int cshim_epoll_ctl(int epfd, int op, int fd, int readable, int writable) {
#if defined(__linux__)
    struct epoll_event event;
    memset(&event, 0, sizeof(event));
    event.events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0);
    event.data.fd = fd;
    int cmd = op == 0 ? EPOLL_CTL_ADD : (op == 1 ? EPOLL_CTL_MOD : EPOLL_CTL_DEL);
    return epoll_ctl(epfd, cmd, fd, &event);
#else
    (void)epfd; (void)op; (void)fd; (void)readable; (void)writable;
    errno = ENOSYS;
    return -1;
#endif
}

int cshim_epoll_wait(int epfd, int32_t *fds, uint32_t *flags, int max, int timeout_ms) {
#if defined(__linux__)
    struct epoll_event events[256];
    if (max > 256) max = 256;
    int n = epoll_wait(epfd, events, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        uint32_t e = events[i].events;
        fds[i] = events[i].data.fd;
        flags[i] = ((e & EPOLLIN) ? 1u : 0u) | ((e & EPOLLOUT) ? 2u : 0u)
                 | ((e & (EPOLLHUP | EPOLLERR)) ? 4u : 0u);
    }
    return n;
#else
    (void)epfd; (void)fds; (void)flags; (void)max; (void)timeout_ms;
    errno = ENOSYS;
    return -1;
#endif
}

static int set_nonblocking_cloexec(int fd) {
    int fl = fcntl(fd, F_GETFL, 0);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int cshim_accept(int listen_fd) {
#if defined(__linux__)
    return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
    int fd = accept(listen_fd, NULL, NULL);
    if (fd >= 0 && set_nonblocking_cloexec(fd) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
#endif
}

int cshim_listen_tcp(const char *host, int port, int reuse_port, int backlog) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char service[16];
    snprintf(service, sizeof(service), "%d", port);
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0 || res == NULL) {
        errno = EADDRNOTAVAIL;
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    if (fd < 0) { freeaddrinfo(res); return -1; }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
#ifdef SO_REUSEPORT
    if (reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
#else
    (void)reuse_port;
#endif
    if (set_nonblocking_cloexec(fd) < 0
        || bind(fd, res->ai_addr, res->ai_addrlen) < 0
        || listen(fd, backlog) < 0) {
        int saved = errno;
        close(fd);
        freeaddrinfo(res);
        errno = saved;
        return -1;
    }
    freeaddrinfo(res);
    return fd;
}

int cshim_local_port(int fd) {
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0) return -1;
    if (addr.ss_family == AF_INET) return ntohs(((struct sockaddr_in *)&addr)->sin_port);
    if (addr.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&addr)->sin6_port);
    return -1;
}

int cshim_configure_connection(int fd) {
    int one = 1;
#ifdef SO_NOSIGPIPE
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#endif
    return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

ssize_t cshim_writev(int fd, const struct iovec *iov, int count) {
#if defined(__linux__)
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = (struct iovec *)iov;
    msg.msg_iovlen = (size_t)count;
    return sendmsg(fd, &msg, MSG_NOSIGNAL);
#else
    return writev(fd, iov, count);
#endif
}

ssize_t cshim_send(int fd, const void *bytes, size_t count) {
#if defined(__linux__)
    return send(fd, bytes, count, MSG_NOSIGNAL);
#else
    return send(fd, bytes, count, 0);  /* SO_NOSIGPIPE is set on the socket */
#endif
}

int cshim_wakeup_create(int *read_fd, int *write_fd) {
#if defined(__linux__)
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) return -1;
    *read_fd = fd;
    *write_fd = fd;
    return 0;
#else
    int fds[2];
    if (pipe(fds) < 0) return -1;
    set_nonblocking_cloexec(fds[0]);
    set_nonblocking_cloexec(fds[1]);
    *read_fd = fds[0];
    *write_fd = fds[1];
    return 0;
#endif
}

void cshim_wakeup_signal(int write_fd) {
#if defined(__linux__)
    uint64_t one = 1;
    ssize_t r = write(write_fd, &one, sizeof(one));
#else
    char one = 1;
    ssize_t r = write(write_fd, &one, 1);
#endif
    (void)r;  // EAGAIN means a wake-up is already pending, which is all we need.
}

void cshim_wakeup_drain(int read_fd) {
    char buffer[64];
    while (read(read_fd, buffer, sizeof(buffer)) > 0) {}
}

// MARK: UDP and addresses

#include <poll.h>

static const uint8_t v4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/// Fills `storage` from bytes; `as_v6` maps a 4-byte address to ::ffff:a.b.c.d.
static socklen_t make_sockaddr(struct sockaddr_storage *storage, const uint8_t *ip, int ip_len, int port, int as_v6) {
    memset(storage, 0, sizeof(*storage));
    if (ip_len == 4 && !as_v6) {
        struct sockaddr_in *sin = (struct sockaddr_in *)storage;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        memcpy(&sin->sin_addr, ip, 4);
        return sizeof(*sin);
    }
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)storage;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons((uint16_t)port);
    if (ip_len == 4) {
        memcpy(&sin6->sin6_addr, v4_mapped_prefix, 12);
        memcpy(((uint8_t *)&sin6->sin6_addr) + 12, ip, 4);
    } else {
        memcpy(&sin6->sin6_addr, ip, 16);
    }
    return sizeof(*sin6);
}

/// Bytes and port from a sockaddr; IPv4-mapped IPv6 comes back as IPv4. Returns 0 or -1.
static int read_sockaddr(const struct sockaddr_storage *storage, uint8_t *ip, int *ip_len, int *port) {
    if (storage->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)storage;
        memcpy(ip, &sin->sin_addr, 4);
        *ip_len = 4;
        *port = ntohs(sin->sin_port);
        return 0;
    }
    if (storage->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)storage;
        const uint8_t *bytes = (const uint8_t *)&sin6->sin6_addr;
        if (memcmp(bytes, v4_mapped_prefix, 12) == 0) {
            memcpy(ip, bytes + 12, 4);
            *ip_len = 4;
        } else {
            memcpy(ip, bytes, 16);
            *ip_len = 16;
        }
        *port = ntohs(sin6->sin6_port);
        return 0;
    }
    errno = EAFNOSUPPORT;
    return -1;
}

static int socket_is_v6(int fd) {
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0) return 0;
    return addr.ss_family == AF_INET6;
}

int cshim_parse_ip(const char *text, uint8_t *ip) {
    if (inet_pton(AF_INET, text, ip) == 1) return 4;
    if (inet_pton(AF_INET6, text, ip) == 1) return 16;
    return -1;
}

int cshim_format_ip(const uint8_t *ip, int ip_len, char *out, int out_len) {
    int family = ip_len == 4 ? AF_INET : (ip_len == 16 ? AF_INET6 : -1);
    if (family < 0) { errno = EAFNOSUPPORT; return -1; }
    return inet_ntop(family, ip, out, (socklen_t)out_len) ? 0 : -1;
}

int cshim_resolve(const char *host, uint8_t *ips, int *lens, int max) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL) return -1;
    int count = 0;
    for (struct addrinfo *ai = res; ai != NULL && count < max; ai = ai->ai_next) {
        struct sockaddr_storage storage;
        memset(&storage, 0, sizeof(storage));
        memcpy(&storage, ai->ai_addr, ai->ai_addrlen < sizeof(storage) ? ai->ai_addrlen : sizeof(storage));
        int port = 0;
        if (read_sockaddr(&storage, ips + 16 * count, &lens[count], &port) == 0) count++;
    }
    freeaddrinfo(res);
    return count;
}

int cshim_udp_bind(const uint8_t *ip, int ip_len, int port) {
    int family = ip_len == 4 ? AF_INET : AF_INET6;
    int fd = socket(family, SOCK_DGRAM, 0);
    if (fd < 0) return -1;
    if (family == AF_INET6) {
        int off = 0;
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    }
    struct sockaddr_storage storage;
    socklen_t len = make_sockaddr(&storage, ip, ip_len, port, 0);
    if (set_nonblocking_cloexec(fd) < 0 || bind(fd, (struct sockaddr *)&storage, len) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

ssize_t cshim_udp_sendto(int fd, const void *bytes, size_t count, const uint8_t *ip, int ip_len, int port) {
    struct sockaddr_storage storage;
    socklen_t len = make_sockaddr(&storage, ip, ip_len, port, ip_len == 4 && socket_is_v6(fd));
    return sendto(fd, bytes, count, 0, (struct sockaddr *)&storage, len);
}

ssize_t cshim_udp_send(int fd, const void *bytes, size_t count) {
    return send(fd, bytes, count, 0);
}

ssize_t cshim_udp_recvfrom(int fd, void *bytes, size_t count, uint8_t *ip, int *ip_len, int *port, int *truncated) {
    struct sockaddr_storage storage;
    struct iovec iov = {bytes, count};
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_name = &storage;
    msg.msg_namelen = sizeof(storage);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t n = recvmsg(fd, &msg, 0);
    if (n < 0) return n;
    *truncated = (msg.msg_flags & MSG_TRUNC) ? 1 : 0;
    if (read_sockaddr(&storage, ip, ip_len, port) < 0) return -1;
    return n;
}

int cshim_udp_connect(int fd, const uint8_t *ip, int ip_len, int port) {
    struct sockaddr_storage storage;
    socklen_t len = make_sockaddr(&storage, ip, ip_len, port, ip_len == 4 && socket_is_v6(fd));
    return connect(fd, (struct sockaddr *)&storage, len);
}

int cshim_socket_address(int fd, uint8_t *ip, int *ip_len, int *port) {
    struct sockaddr_storage storage;
    socklen_t len = sizeof(storage);
    if (getsockname(fd, (struct sockaddr *)&storage, &len) < 0) return -1;
    return read_sockaddr(&storage, ip, ip_len, port);
}

int cshim_poll_readable(int fd, int wake_fd, int timeout_ms) {
    struct pollfd fds[2];
    fds[0].fd = fd;
    fds[0].events = POLLIN;
    fds[0].revents = 0;
    fds[1].fd = wake_fd;
    fds[1].events = POLLIN;
    fds[1].revents = 0;
    int rc = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (rc <= 0) return rc;
    if (wake_fd >= 0 && fds[1].revents) return 0;
    return fds[0].revents ? 1 : 0;
}
