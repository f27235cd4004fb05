/* LD_PRELOAD shim: TCP_NODELAY forced on for every TCP socket a process connects (and never
 * turned off by a later setsockopt). Used to show where lambda_http + axum's first-byte delay
 * comes from:
 *   gcc -shared -fPIC -O2 -o /tmp/nodelay.so test-support/streaming/nodelay.c -ldl
 *   STREAMING_PEER_ENV=LD_PRELOAD=/tmp/nodelay.so cargo test -p test-support --test streaming_runtime against -- --nocapture
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
int connect(int fd, const struct sockaddr *addr, socklen_t len) {
    static int (*real)(int, const struct sockaddr *, socklen_t);
    if (!real) real = dlsym(RTLD_NEXT, "connect");
    int one = 1;
    if (addr && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6))
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return real(fd, addr, len);
}
int setsockopt(int fd, int level, int name, const void *value, socklen_t len) {
    static int (*real)(int, int, int, const void *, socklen_t);
    if (!real) real = dlsym(RTLD_NEXT, "setsockopt");
    int one = 1;
    if (level == IPPROTO_TCP && name == TCP_NODELAY) return real(fd, level, name, &one, sizeof one);
    return real(fd, level, name, value, len);
}
