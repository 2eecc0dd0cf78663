/*
 * The neutral benchmark server of ../../shared/BENCHMARKS.md, in C: one thread, one epoll loop, non-blocking
 * sockets, OpenSSL for --tls. It is not part of the client under test, so every client (the connector, raw
 * Netty, Bun) meets the same server, and the server spends little of the machine's two cores.
 *
 *   server --mode count|echo [--host 127.0.0.1] [--port 0 | --unix PATH] [--tls]
 *
 * count: reads to the end of the stream (the peer's FIN, or on TLS its close_notify), answers with the 8-byte
 *        big-endian count of bytes received, then closes (close_notify first on TLS, then FIN).
 * echo:  echoes everything back; when the peer's output stops, flushes what is left and closes.
 *
 * Once listening it prints one JSON line on stdout, {"bench":"server","mode":...,"port":P}, as the Java server
 * does. With --tls it serves a self-signed P-256 certificate made at start (CN localhost; names localhost,
 * 127.0.0.1 and ::1), TLS 1.2 and 1.3, no session resumption (no cache, no tickets), so every TLS connect is a
 * full handshake.
 *
 * Build: cc -O2 -o server server.c -lssl -lcrypto
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define BUF_SIZE (64 * 1024)
#define MAX_EVENTS 256

enum mode { COUNT, ECHO };

struct conn {
	int fd;
	SSL *ssl;
	uint64_t count;        /* count mode: bytes received */
	unsigned char *out;    /* bytes waiting to be written (echo, or the count) */
	size_t out_len;
	size_t out_off;
	int input_ended;       /* the peer's FIN or close_notify has arrived */
	int want_out;          /* EPOLLOUT registered */
};

static enum mode mode;
static int epfd;
static SSL_CTX *ctx;
static unsigned char buf[BUF_SIZE];

static void die(const char *what) {
	fprintf(stderr, "error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void die_ssl(const char *what) {
	fprintf(stderr, "error: %s: ", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static void set_events(struct conn *c, int want_out) {
	if (c->want_out == want_out) {
		return;
	}
	struct epoll_event ev = { .events = want_out ? EPOLLOUT : EPOLLIN, .data.ptr = c };
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) {
		die("epoll_ctl");
	}
	c->want_out = want_out;
}

static void conn_free(struct conn *c) {
	if (c->ssl) {
		SSL_free(c->ssl);
	}
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->out);
	free(c);
}

/* Once the peer's input has ended and everything is written: close_notify on TLS, FIN, close. Nothing can
 * arrive after the peer's end, so the close leaves no unread input behind (which would send a reset). */
static void finish(struct conn *c) {
	if (c->ssl) {
		SSL_shutdown(c->ssl); /* one-way: our close_notify */
	}
	shutdown(c->fd, SHUT_WR);
	conn_free(c);
}

/* Writes out[]. Returns 0 when all is written, 1 when it must wait for EPOLLOUT, -1 on error. */
static int flush_out(struct conn *c) {
	while (c->out_off < c->out_len) {
		size_t left = c->out_len - c->out_off;
		ssize_t n;
		if (c->ssl) {
			ERR_clear_error();
			int r = SSL_write(c->ssl, c->out + c->out_off, (int) left);
			if (r <= 0) {
				int e = SSL_get_error(c->ssl, r);
				if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
					return 1;
				}
				return -1;
			}
			n = r;
		}
		else {
			n = send(c->fd, c->out + c->out_off, left, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR) {
					return 1;
				}
				return -1;
			}
		}
		c->out_off += (size_t) n;
	}
	c->out_len = c->out_off = 0;
	return 0;
}

/* Reads once into buf: > 0 bytes, 0 end of input, -1 would block, -2 error. */
static ssize_t read_some(struct conn *c) {
	if (c->ssl) {
		ERR_clear_error();
		errno = 0;
		int r = SSL_read(c->ssl, buf, BUF_SIZE);
		if (r > 0) {
			return r;
		}
		int e = SSL_get_error(c->ssl, r);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			return -1;
		}
		if (e == SSL_ERROR_ZERO_RETURN) {
			return 0; /* close_notify */
		}
		if (SSL_is_init_finished(c->ssl) && (e == SSL_ERROR_SYSCALL || e == SSL_ERROR_SSL) && errno == 0) {
			return 0; /* FIN without close_notify, after the handshake (SSL_OP_IGNORE_UNEXPECTED_EOF) */
		}
		return -2;
	}
	ssize_t n = recv(c->fd, buf, BUF_SIZE, 0);
	if (n < 0) {
		return (errno == EAGAIN || errno == EINTR) ? -1 : -2;
	}
	return n;
}

static void on_input_end(struct conn *c) {
	c->input_ended = 1;
	if (mode == COUNT) {
		unsigned char *b = malloc(8);
		if (!b) {
			die("malloc");
		}
		for (int i = 0; i < 8; i++) {
			b[i] = (unsigned char) (c->count >> (56 - 8 * i));
		}
		free(c->out);
		c->out = b;
		c->out_len = 8;
		c->out_off = 0;
	}
}

static void on_event(struct conn *c, uint32_t events) {
	if (events & EPOLLOUT || c->out_len > 0) {
		int r = flush_out(c);
		if (r < 0) {
			conn_free(c);
			return;
		}
		if (r > 0) {
			set_events(c, 1);
			return;
		}
		if (c->input_ended) {
			finish(c);
			return;
		}
		set_events(c, 0);
	}
	/* read until it would block, or (echo) until a write cannot finish */
	for (int i = 0; i < 16; i++) {
		ssize_t n = read_some(c);
		if (n == -1) {
			if (c->ssl && SSL_want_write(c->ssl)) {
				set_events(c, 1); /* the handshake waits to write */
			}
			return;
		}
		if (n == -2) {
			conn_free(c);
			return;
		}
		if (n == 0) {
			on_input_end(c);
			int r = flush_out(c);
			if (r < 0) {
				conn_free(c);
			}
			else if (r > 0) {
				set_events(c, 1);
			}
			else {
				finish(c);
			}
			return;
		}
		if (mode == COUNT) {
			c->count += (uint64_t) n;
			continue;
		}
		unsigned char *out = realloc(c->out, (size_t) n);
		if (!out) {
			die("realloc");
		}
		c->out = out;
		memcpy(c->out, buf, (size_t) n);
		c->out_len = (size_t) n;
		c->out_off = 0;
		int r = flush_out(c);
		if (r < 0) {
			conn_free(c);
			return;
		}
		if (r > 0) {
			set_events(c, 1); /* stop reading until the echo is written */
			return;
		}
	}
}

static void make_tls(void) {
	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		die_ssl("SSL_CTX_new");
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *cert = X509_new();
	if (!key || !cert) {
		die_ssl("key");
	}
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 24 * 3600);
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *) "localhost", -1, -1, 0);
	X509_set_issuer_name(cert, name);
	X509_set_pubkey(cert, key);
	/* the names the Java server's certificate carries; Bun fails a handshake whose name does not match, even
	 * with rejectUnauthorized false */
	X509V3_CTX v3;
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
	X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name,
			"DNS:localhost,IP:127.0.0.1,IP:::1");
	if (!san || !X509_add_ext(cert, san, -1)) {
		die_ssl("subjectAltName");
	}
	X509_EXTENSION_free(san);
	if (!X509_sign(cert, key, EVP_sha256()) || SSL_CTX_use_certificate(ctx, cert) != 1
			|| SSL_CTX_use_PrivateKey(ctx, key) != 1) {
		die_ssl("certificate");
	}
	X509_free(cert);
	EVP_PKEY_free(key);
}

static void usage(void) {
	fprintf(stderr, "usage: server --mode count|echo [--host 127.0.0.1] [--port 0 | --unix PATH] [--tls]\n");
	exit(2);
}

int main(int argc, char **argv) {
	const char *mode_name = NULL, *host = "127.0.0.1", *unix_path = NULL;
	int port = 0, tls = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "server")) {
			continue;
		}
		if (!strcmp(argv[i], "--tls")) {
			tls = 1;
		}
		else if (i + 1 < argc && !strcmp(argv[i], "--mode")) {
			mode_name = argv[++i];
		}
		else if (i + 1 < argc && !strcmp(argv[i], "--host")) {
			host = argv[++i];
		}
		else if (i + 1 < argc && !strcmp(argv[i], "--port")) {
			port = atoi(argv[++i]);
		}
		else if (i + 1 < argc && !strcmp(argv[i], "--unix")) {
			unix_path = argv[++i];
		}
		else {
			fprintf(stderr, "error: unknown option %s\n", argv[i]);
			usage();
		}
	}
	if (!mode_name || (strcmp(mode_name, "count") && strcmp(mode_name, "echo"))) {
		fprintf(stderr, "error: --mode takes count or echo\n");
		usage();
	}
	mode = strcmp(mode_name, "count") ? ECHO : COUNT;
	signal(SIGPIPE, SIG_IGN);
	struct rlimit lim;
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0) {
		lim.rlim_cur = lim.rlim_max;
		setrlimit(RLIMIT_NOFILE, &lim);
	}
	if (tls) {
		make_tls();
	}

	int lfd;
	if (unix_path) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		if (strlen(unix_path) >= sizeof(sa.sun_path)) {
			fprintf(stderr, "error: --unix path too long\n");
			return 2;
		}
		strcpy(sa.sun_path, unix_path);
		unlink(unix_path);
		lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (lfd < 0 || bind(lfd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
			die("bind");
		}
	}
	else {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
		if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
			fprintf(stderr, "error: --host takes an IPv4 address (was %s)\n", host);
			return 2;
		}
		lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		int one = 1;
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (lfd < 0 || bind(lfd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
			die("bind");
		}
		socklen_t len = sizeof(sa);
		getsockname(lfd, (struct sockaddr *) &sa, &len);
		port = ntohs(sa.sin_port);
	}
	if (listen(lfd, 4096) < 0) {
		die("listen");
	}
	epfd = epoll_create1(0);
	struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev) < 0) {
		die("epoll");
	}
	if (unix_path) {
		printf("{\"bench\":\"server\",\"mode\":\"%s\",\"tls\":%s,\"server\":\"c\",\"unix\":\"%s\"}\n", mode_name,
				tls ? "true" : "false", unix_path);
	}
	else {
		printf("{\"bench\":\"server\",\"mode\":\"%s\",\"tls\":%s,\"server\":\"c\",\"host\":\"%s\",\"port\":%d}\n",
				mode_name, tls ? "true" : "false", host, port);
	}
	fflush(stdout);

	struct epoll_event events[MAX_EVENTS];
	for (;;) {
		int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			die("epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = events[i].data.ptr;
			if (c != NULL) {
				on_event(c, events[i].events);
				continue;
			}
			for (;;) {
				int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
				if (fd < 0) {
					if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
						fprintf(stderr, "accept: %s\n", strerror(errno));
					}
					break;
				}
				if (!unix_path) {
					int one = 1;
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				}
				c = calloc(1, sizeof(*c));
				if (!c) {
					die("calloc");
				}
				c->fd = fd;
				if (ctx) {
					c->ssl = SSL_new(ctx);
					if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) {
						die_ssl("SSL_new");
					}
					SSL_set_accept_state(c->ssl);
				}
				struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
				if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
					die("epoll_ctl");
				}
			}
		}
	}
}
