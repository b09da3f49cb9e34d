/*
 * plugd-cni-send: the one HTTP request bin/plugd-cni makes, without curl's start-up.
 *
 * Debian's curl links 33 shared libraries and spends ≈ 20 ms in the dynamic loader before
 * main, more than the CNI chain it calls; this program, linked statically, starts in about a
 * millisecond. It takes the subset of curl's arguments the shim passes and answers with
 * curl's exit codes, so the shim runs either one with the same argument list and reads the
 * outcome the same way (0 answered, 22 HTTP error with the body printed, else unreachable):
 *
 *   plugd-cni-send [-q] [-s] [--fail-with-body] --unix-socket PATH [--connect-timeout S]
 *                  [--max-time S] [-H 'Name: value']... --data-binary BODY|@- http://HOST/PATH
 *
 * It always behaves as curl does with -q -s --fail-with-body (nothing on stderr but usage
 * errors; the body of an HTTP error printed, exit 22). Unlike curl it prints the body only
 * once the whole response is in, so a truncated answer never reaches the runtime.
 *
 * Built by scripts/build.js (`cc -O2 -static`); C99 and POSIX only.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* curl's exit codes (libcurl's CURLcode), the ones this program can meet. */
enum {
  E_OK = 0,
  E_FAILED_INIT = 2,        /* a usage error */
  E_COULDNT_CONNECT = 7,    /* no socket, refused, no permission */
  E_WEIRD_SERVER_REPLY = 8, /* not HTTP */
  E_PARTIAL_FILE = 18,      /* the connection closed inside the body */
  E_HTTP_ERROR = 22,        /* status >= 400 (--fail-with-body: its body is printed) */
  E_WRITE_ERROR = 23,       /* stdout */
  E_READ_ERROR = 26,        /* stdin (--data-binary @-) */
  E_OUT_OF_MEMORY = 27,
  E_TIMEDOUT = 28,          /* --connect-timeout or --max-time */
  E_GOT_NOTHING = 52,       /* closed before any byte of an answer */
  E_SEND_ERROR = 55,
  E_RECV_ERROR = 56
};

/* A growable byte buffer; every failure to grow ends the program (E_OUT_OF_MEMORY). */
struct buf {
  char *p;
  size_t len, cap;
};

static void reserve(struct buf *b, size_t more) {
  if (b->len + more <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + more) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) _exit(E_OUT_OF_MEMORY);
  b->p = p;
  b->cap = cap;
}

static void append(struct buf *b, const char *s, size_t n) {
  reserve(b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

static void appends(struct buf *b, const char *s) { append(b, s, strlen(s)); }

/*
 * Timeouts end the program from the signal handler: nothing has been printed before the whole
 * answer is in, so exiting at any point leaves stdout empty, as the shim expects of a failure.
 */
static void on_alarm(int sig) {
  (void)sig;
  _exit(E_TIMEDOUT);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Arms the one-shot timer for `seconds` from now (0: disarmed). */
static void arm(double seconds) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  if (seconds > 0) {
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
    if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0) it.it_value.tv_usec = 1;
  }
  setitimer(ITIMER_REAL, &it, NULL);
}

/* A non-negative number of seconds, as curl takes them ("2", "0.5"); -1 when malformed. */
static double seconds_arg(const char *s) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !(v >= 0)) return -1;
  return v;
}

/* Writes all of it, through partial writes and interruptions: 0, or -1 with errno. */
static int write_all(int fd, const char *p, size_t n, int is_socket) {
  while (n > 0) {
    /* MSG_NOSIGNAL: a host that hangs up is an error to report (55), not a SIGPIPE death. */
    ssize_t w = is_socket ? send(fd, p, n, MSG_NOSIGNAL) : write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Reads some more of fd into b: the byte count, 0 at end of file, -1 on error. */
static ssize_t read_more(int fd, struct buf *b) {
  reserve(b, 16384);
  for (;;) {
    ssize_t r = read(fd, b->p + b->len, b->cap - b->len);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0) b->len += (size_t)r;
    return r;
  }
}

/* The position just past the first "\r\n\r\n" in p[0..n), or 0 when there is none yet. */
static size_t header_end(const char *p, size_t n) {
  for (size_t i = 3; i < n; i++)
    if (p[i] == '\n' && p[i - 1] == '\r' && p[i - 2] == '\n' && p[i - 3] == '\r') return i + 1;
  return 0;
}

/* The value of header `name` in a head of n bytes, NUL-free and unterminated: its length in *len. */
static const char *header(const char *head, size_t n, const char *name, size_t *len) {
  size_t nl = strlen(name);
  const char *end = head + n;
  const char *line = memchr(head, '\n', n);  /* skip the status line */
  while (line && ++line < end) {
    const char *eol = memchr(line, '\n', (size_t)(end - line));
    if (!eol) break;
    if ((size_t)(eol - line) > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0) {
      const char *v = line + nl + 1;
      while (v < eol && (*v == ' ' || *v == '\t')) v++;
      const char *ve = eol;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t')) ve--;
      *len = (size_t)(ve - v);
      return v;
    }
    line = eol;
  }
  return NULL;
}

/*
 * Decodes a chunked body in p[0..n) into out: 1 when its last chunk is in, 0 when more is
 * needed, -1 when it is malformed. Called again from the start after each read: the host's
 * answers are small, and starting over keeps this free of state.
 */
static int unchunk(const char *p, size_t n, struct buf *out) {
  size_t i = 0;
  out->len = 0;
  for (;;) {
    const char *eol = memchr(p + i, '\n', n - i);
    if (!eol) return 0;
    char *end;
    errno = 0;
    unsigned long long size = strtoull(p + i, &end, 16);  /* stops at ';' extensions or "\r" */
    if (errno || end == p + i || end > eol) return -1;
    i = (size_t)(eol - p) + 1;
    if (size == 0) {
      /* Trailers, then an empty line. */
      for (;;) {
        const char *t = memchr(p + i, '\n', n - i);
        if (!t) return 0;
        size_t tl = (size_t)(t - (p + i));
        i += tl + 1;
        if (tl == 0 || (tl == 1 && p[i - 2] == '\r')) return 1;
      }
    }
    if (size > n - i || n - i - size < 2) return 0;
    append(out, p + i, (size_t)size);
    i += (size_t)size;
    if (p[i] == '\r') i++;
    if (p[i] != '\n') return -1;
    i++;
  }
}

static int usage(const char *why) {
  static const char text[] = "usage: plugd-cni-send [-q] [-s] [--fail-with-body] --unix-socket PATH"
      " [--connect-timeout S] [--max-time S] [-H 'Name: value']... --data-binary BODY|@- http://HOST/PATH\n";
  (void)!write(2, "plugd-cni-send: ", 16);
  (void)!write(2, why, strlen(why));
  (void)!write(2, "\n", 1);
  (void)!write(2, text, sizeof text - 1);
  return E_FAILED_INIT;
}

int main(int argc, char **argv) {
  const char *sock = NULL, *data = NULL, *url = NULL;
  double connect_timeout = 300, max_time = 0;  /* curl's defaults: 300 s, no limit */
  struct buf headers = {0}, body = {0};

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-q") || !strcmp(a, "-s") || !strcmp(a, "--fail-with-body")) continue;
    int takes = !strcmp(a, "--unix-socket") || !strcmp(a, "--connect-timeout") || !strcmp(a, "--max-time") ||
                !strcmp(a, "-H") || !strcmp(a, "--data-binary");
    if (!takes) {
      if (a[0] == '-' || url) return usage("unknown argument");
      url = a;
      continue;
    }
    if (++i == argc) return usage("an option without its value");
    const char *v = argv[i];
    if (!strcmp(a, "--unix-socket")) {
      sock = v;
    } else if (!strcmp(a, "--data-binary")) {
      data = v;
    } else if (!strcmp(a, "-H")) {
      /* A header in CR/LF would smuggle in a header of its own: refused, as curl's users expect none. */
      if (strpbrk(v, "\r\n")) return usage("a header with a line break");
      size_t n = strlen(v);
      /* "Name:" with no value removes one of curl's own headers (the shim sends "Expect:"): none here. */
      if (n > 0 && v[n - 1] == ':') continue;
      appends(&headers, v);
      appends(&headers, "\r\n");
    } else {
      double s = seconds_arg(v);
      if (s < 0) return usage("a timeout that is not a number of seconds");
      if (!strcmp(a, "--connect-timeout")) connect_timeout = s > 0 ? s : 300;
      else max_time = s;
    }
  }
  if (!sock || !data || !url) return usage("--unix-socket, --data-binary and the URL are required");
  if (strncmp(url, "http://", 7) != 0) return usage("the URL must be http://HOST/PATH");
  const char *host = url + 7, *path = strchr(host, '/');
  int host_len = path ? (int)(path - host) : (int)strlen(host);
  if (!path) path = "/";

  /* Before anything can block: the timer ends the program, a hang-up is an error code. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  double started = now();
  /* --max-time bounds the whole call, reading stdin included; --connect-timeout only connecting. */
  arm(max_time);

  if (!strcmp(data, "@-")) {
    ssize_t r;
    while ((r = read_more(0, &body)) > 0) {}
    if (r < 0) return E_READ_ERROR;
  } else if (data[0] == '@') {
    return usage("--data-binary takes the body or @- (stdin), not a file");
  } else {
    appends(&body, data);
  }

  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(sock) >= sizeof addr.sun_path) return E_COULDNT_CONNECT;
  strcpy(addr.sun_path, sock);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return E_COULDNT_CONNECT;
  double left = max_time > 0 ? max_time - (now() - started) : 0;  /* 0: no --max-time */
  if (max_time > 0 && left <= 0) return E_TIMEDOUT;
  arm(left > 0 && left < connect_timeout ? left : connect_timeout);
  /*
   * Non-blocking, as curl connects: a unix socket connects at once or fails at once, and a
   * listener whose backlog is full (a host too busy to accept) fails with EAGAIN rather than
   * blocking, which curl reports as 7 and so does this. The I/O after it blocks, under the timer.
   */
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return E_COULDNT_CONNECT;
  while (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
    if (errno != EINTR) return E_COULDNT_CONNECT;
  if (fcntl(fd, F_SETFL, flags) < 0) return E_COULDNT_CONNECT;
  if (max_time > 0) {
    left = max_time - (now() - started);
    if (left <= 0) return E_TIMEDOUT;
  }
  arm(left);

  /* The request curl sends for these arguments (HTTP/1.1, Host from the URL, Content-Length). */
  struct buf req = {0};
  char line[128];
  appends(&req, "POST ");
  appends(&req, path);
  appends(&req, " HTTP/1.1\r\nHost: ");
  append(&req, host, (size_t)host_len);
  appends(&req, "\r\nUser-Agent: plugd-cni-send\r\nAccept: */*\r\n");
  if (headers.len) append(&req, headers.p, headers.len);
  snprintf(line, sizeof line, "Content-Length: %zu\r\n\r\n", body.len);
  appends(&req, line);
  if (write_all(fd, req.p, req.len, 1) < 0 || write_all(fd, body.p, body.len, 1) < 0) return E_SEND_ERROR;

  /* The answer: a status line and headers, then a body by Content-Length, chunks, or to EOF. */
  struct buf in = {0}, chunked = {0};
  size_t start = 0, head = 0;
  reserve(&in, 16384);
  int status = 0;
  for (;;) {
    while (!(head = header_end(in.p + start, in.len - start))) {
      ssize_t r = read_more(fd, &in);
      if (r < 0) return E_RECV_ERROR;
      if (r == 0) return in.len == 0 ? E_GOT_NOTHING : E_WEIRD_SERVER_REPLY;
    }
    const char *h = in.p + start;
    if (head < 12 || strncmp(h, "HTTP/1.", 7) != 0 || h[8] != ' ') return E_WEIRD_SERVER_REPLY;
    status = atoi(h + 9);
    if (status < 100 || status > 999) return E_WEIRD_SERVER_REPLY;
    /* 1xx answers (100 Continue) come before the real one: skipped. */
    if (status >= 200) break;
    start += head;
  }
  const char *h = in.p + start;
  const char *out = NULL;
  size_t out_len = 0, vlen, body_at = start + head;
  const char *te = header(h, head, "Transfer-Encoding", &vlen);
  const char *cl = header(h, head, "Content-Length", &vlen);
  if (status == 204 || status == 304) {
    out_len = 0;
  } else if (te && vlen >= 7 && strncasecmp(te + vlen - 7, "chunked", 7) == 0) {
    int done;
    while ((done = unchunk(in.p + body_at, in.len - body_at, &chunked)) == 0) {
      ssize_t r = read_more(fd, &in);
      if (r < 0) return E_RECV_ERROR;
      if (r == 0) return E_PARTIAL_FILE;
    }
    if (done < 0) return E_WEIRD_SERVER_REPLY;
    out = chunked.p;
    out_len = chunked.len;
  } else if (cl) {
    char *end;
    errno = 0;
    unsigned long long n = strtoull(cl, &end, 10);
    if (errno || end == cl || end != cl + vlen) return E_WEIRD_SERVER_REPLY;
    while (in.len - body_at < n) {
      ssize_t r = read_more(fd, &in);
      if (r < 0) return E_RECV_ERROR;
      if (r == 0) return E_PARTIAL_FILE;
    }
    out = in.p + body_at;
    out_len = (size_t)n;
  } else {
    ssize_t r;
    while ((r = read_more(fd, &in)) > 0) {}
    if (r < 0) return E_RECV_ERROR;
    out = in.p + body_at;
    out_len = in.len - body_at;
  }
  close(fd);
  arm(0);  /* the answer is in: printing it is not the host's time */

  if (out_len && write_all(1, out, out_len, 0) < 0) return E_WRITE_ERROR;
  return status >= 400 ? E_HTTP_ERROR : E_OK;
}
