/*
 * The gateway bench's backend: the smallest HTTP/1.1 server that is still correct for what the
 * proxies send it. Every request (any method, any path) gets the same 200 with a fixed 13-byte
 * body. Keep-alive by default (HTTP/1.1), pipelining, requests split across reads, request bodies
 * with Content-Length (skipped), "Connection: close" and HTTP/1.0 without keep-alive (closed after
 * the answer). No chunked request bodies (answered 501 and closed): none of the proxies sends one
 * for a GET.
 *
 *   backend PORT [THREADS]     listens on 127.0.0.1:PORT; THREADS epoll loops (default 1),
 *                              each with its own SO_REUSEPORT socket; prints "ready" when
 *                              listening. Stops on SIGTERM/SIGINT, and when its parent dies.
 *
 * Why not nginx `return 200`: see README.md (this costs less CPU per request, which on a 2-core
 * machine leaves more of it to the proxy under test, and it has no module chain or timers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#define BUF 16384
#define MAX_EVENTS 256

static const char RESPONSE[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, world\n";
static const char RESPONSE_CLOSE[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
    "Hello, world\n";
static const char RESPONSE_501[] =
    "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

struct conn {
  int fd;
  size_t in_len;       /* bytes in in[] */
  size_t skip;         /* request-body bytes still to discard */
  size_t out_len, out_off;
  int close_after;     /* close once out[] is written */
  int want_out;        /* EPOLLOUT armed */
  char in[BUF];
  char out[BUF];
};

static int port;

static int listen_socket(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4096) < 0) {
    perror("backend: bind/listen");
    exit(1);
  }
  return fd;
}

static void conn_close(int ep, struct conn *c) {
  epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c);
}

/* Case-insensitive search for a header line "name: value..." inside [p, end). */
static const char *find_header(const char *p, const char *end, const char *name) {
  size_t n = strlen(name);
  for (const char *l = p; l < end;) {
    const char *eol = memchr(l, '\n', end - l);
    if (!eol) eol = end;
    if ((size_t)(eol - l) > n && l[n] == ':' && strncasecmp(l, name, n) == 0) return l + n + 1;
    l = eol + 1;
  }
  return NULL;
}

static int value_has(const char *v, const char *end, const char *token) {
  const char *eol = memchr(v, '\n', end - v);
  if (!eol) eol = end;
  size_t n = strlen(token);
  for (const char *q = v; q + n <= eol; q++)
    if (strncasecmp(q, token, n) == 0) return 1;
  return 0;
}

/* Parses every complete request in c->in and queues its answer; returns -1 on a fatal error. */
static int handle_input(struct conn *c) {
  size_t pos = 0;
  int full = 0;
  while (pos < c->in_len && !c->close_after) {
    if (c->skip) {
      size_t k = c->in_len - pos < c->skip ? c->in_len - pos : c->skip;
      pos += k;
      c->skip -= k;
      continue;
    }
    char *start = c->in + pos;
    char *hend = memmem(start, c->in_len - pos, "\r\n\r\n", 4);
    if (!hend) break;
    hend += 4;
    const char *line_end = memchr(start, '\n', hend - start);
    int http10 = line_end && line_end - start >= 9 && memcmp(line_end - 9, "HTTP/1.0", 8) == 0;
    const char *conn_hdr = find_header(line_end + 1, hend, "Connection");
    int close = http10 ? !(conn_hdr && value_has(conn_hdr, hend, "keep-alive"))
                       : (conn_hdr && value_has(conn_hdr, hend, "close"));
    const char *te = find_header(line_end + 1, hend, "Transfer-Encoding");
    const char *cl = find_header(line_end + 1, hend, "Content-Length");
    const char *resp = close ? RESPONSE_CLOSE : RESPONSE;
    size_t rlen = close ? sizeof RESPONSE_CLOSE - 1 : sizeof RESPONSE - 1;
    if (te && value_has(te, hend, "chunked")) {
      resp = RESPONSE_501;
      rlen = sizeof RESPONSE_501 - 1;
      close = 1;
    } else if (cl) {
      c->skip = strtoul(cl, NULL, 10);
    }
    if (c->out_len + rlen > BUF) { full = 1; break; } /* parse the rest once out[] drains */
    memcpy(c->out + c->out_len, resp, rlen);
    c->out_len += rlen;
    if (close) c->close_after = 1;
    pos = hend - c->in;
  }
  if (pos) {
    memmove(c->in, c->in + pos, c->in_len - pos);
    c->in_len -= pos;
  }
  if (c->in_len == BUF && !full) return -1; /* a header block larger than the buffer */
  return 0;
}

/* Writes what is queued; returns 1 when the connection is to be closed, 0 when all is written,
 * 2 when the socket is full (EPOLLOUT armed, EPOLLIN off until it drains). */
static int flush_out(int ep, struct conn *c) {
  while (c->out_off < c->out_len) {
    ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        if (!c->want_out) {
          struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
          epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
          c->want_out = 1;
        }
        return 2;
      }
      return 1;
    }
    c->out_off += w;
  }
  c->out_len = c->out_off = 0;
  if (c->want_out) {
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->want_out = 0;
  }
  return c->close_after;
}

/* Answers every complete request buffered; returns 1 when the connection is to be closed. */
static int process(int ep, struct conn *c) {
  for (;;) {
    if (handle_input(c) < 0) return 1;
    if (!c->out_len) return 0;
    int f = flush_out(ep, c);
    if (f) return f == 1;
  }
}

struct loop_arg { int lfd; };

static void *loop(void *arg) {
  int lfd = ((struct loop_arg *)arg)->lfd;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
  struct epoll_event evs[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(ep, evs, MAX_EVENTS, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("backend: epoll_wait");
      exit(1);
    }
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      if (!c) {
        for (;;) {
          int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (fd < 0) break;
          int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct conn *nc = calloc(1, sizeof *nc);
          if (!nc) { close(fd); continue; }
          nc->fd = fd;
          struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = nc};
          epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
        }
        continue;
      }
      int dead = 0;
      if (c->want_out) {
        /* only EPOLLOUT (or an error) is armed while answers are pending */
        int f = flush_out(ep, c);
        dead = f == 1 || (f == 0 && process(ep, c));
      } else {
        /* level-triggered: one read per wake-up; epoll reports what is left */
        ssize_t r = read(c->fd, c->in + c->in_len, BUF - c->in_len);
        if (r == 0) dead = 1;
        else if (r < 0) dead = errno != EAGAIN && errno != EINTR;
        else {
          c->in_len += r;
          dead = process(ep, c);
        }
      }
      if (dead) conn_close(ep, c);
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: backend PORT [THREADS]\n");
    return 2;
  }
  port = atoi(argv[1]);
  int threads = argc > 2 ? atoi(argv[2]) : 1;
  if (threads < 1) threads = 1;
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  signal(SIGPIPE, SIG_IGN);
  /* every socket is listening before "ready" is printed */
  struct loop_arg *args = calloc(threads, sizeof *args);
  for (int i = 0; i < threads; i++) args[i].lfd = listen_socket();
  pthread_t t;
  for (int i = 1; i < threads; i++) pthread_create(&t, NULL, loop, &args[i]);
  printf("ready\n");
  fflush(stdout);
  loop(&args[0]);
  return 0;
}
