/*
 * LivCloud lab guest workload: a memory-dirtying program with a heartbeat, run by /init in the lab guest.
 *
 * It keeps a working set of N MiB, dirties it at R MiB/s (one byte per 4 KiB page, paced in 10 ms slices), and prints
 * a heartbeat to the serial console ttyS0 every 100 ms:
 *
 *     livcloud-heartbeat seq=<n> uptime_ms=<ms> rate=<R> wss=<N>
 *
 * seq starts at 1 and increments by 1; it only starts again at 1 when the guest reboots, so a host that watches the
 * serial log can tell "still the same guest, still running" from "stopped" or "restarted". uptime_ms is the guest's
 * CLOCK_MONOTONIC, which QEMU stops while the vCPUs are stopped: it shows how much guest time passed, not wall time.
 *
 * R and N come from the kernel command line (livcloud.rate=<MiB/s> livcloud.wss=<MiB>) and can be changed at run time
 * by writing lines "rate <R>" or "wss <N>" to the second serial port ttyS1; each change is acknowledged on ttyS0 with
 *
 *     livcloud-control rate=<R> wss=<N>
 *
 * On start it prints one line naming the architecture it really runs on (uname), so a test can tell a 32-bit guest:
 *
 *     livcloud-workload started arch=<uname -m> bits=<32|64> kernel=<uname -r> rate=<R> wss=<N>
 *
 * When the command line has livcloud.ip=..., it also echoes UDP datagrams on port 7 (busybox has no UDP server).
 *
 * Built with "gcc -static" (and -m32 for the i686 guest); single-threaded: one loop sleeps in ppoll() until the next
 * 10 ms slice or until ttyS1 or the UDP socket has input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PAGE_SIZE 4096u
#define PAGES_PER_MIB 256u
#define SLICE_NS 10000000ull          /* dirtying and input polling happen every 10 ms */
#define HEARTBEAT_NS 100000000ull     /* one heartbeat every 100 ms */
#define MAX_CATCH_UP_NS 100000000ull  /* after a stall, dirty at most 100 ms worth at once: no burst after a pause */
#define MAX_RATE_MIBPS 100000u
#define MAX_WSS_MIB 65536u
#define ECHO_PORT 7

static int console_fd = STDOUT_FILENO;  /* ttyS0, or stdout when it cannot be opened */

/* The working set: wss_pages pages, dirtied round-robin from next_page. */
static uint8_t *working_set;
static size_t wss_pages;
static size_t next_page;
static uint8_t stamp = 1;               /* the byte written; never 0, so no page ever turns back into a zero page */

static unsigned rate_mibps;
static unsigned wss_mib;

static uint64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
}

/* Prints one whole line with one write(), so lines from this program are never split by each other. */
static void console_line(const char *format, ...) {
    char line[256];
    va_list arguments;
    va_start(arguments, format);
    int length = vsnprintf(line, sizeof line - 1, format, arguments);
    va_end(arguments);
    if (length < 0) {
        return;
    }
    if ((size_t)length > sizeof line - 2) {
        length = (int)sizeof line - 2;
    }
    line[length++] = '\n';
    ssize_t ignored = write(console_fd, line, (size_t)length);
    (void)ignored;
}

static void dirty_pages(size_t count) {
    for (size_t i = 0; i < count && wss_pages > 0; i++) {
        working_set[next_page * PAGE_SIZE] = stamp;
        if (++next_page == wss_pages) {
            next_page = 0;
            stamp = (uint8_t)(stamp == 255 ? 1 : stamp + 1);  /* each pass writes a new value */
        }
    }
}

/* Replaces the working set with one of the given size, every page touched once so that it is really resident. */
static int resize_working_set(unsigned mib) {
    size_t pages = (size_t)mib * PAGES_PER_MIB;
    uint8_t *memory = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
        console_line("livcloud-workload error=\"cannot allocate %u MiB: %s\"", mib, strerror(errno));
        return -1;
    }
    if (working_set != NULL) {
        munmap(working_set, wss_pages * PAGE_SIZE);
    }
    working_set = memory;
    wss_pages = pages;
    wss_mib = mib;
    next_page = 0;
    dirty_pages(pages);
    return 0;
}

/* Reads "livcloud.<name>=<value>" from the kernel command line; 1 if found. */
static int command_line_value(const char *cmdline, const char *name, char *value, size_t size) {
    char key[64];
    snprintf(key, sizeof key, "livcloud.%s=", name);
    for (const char *word = cmdline; (word = strstr(word, key)) != NULL; word++) {
        if (word != cmdline && word[-1] != ' ') {
            continue;  /* part of a longer word */
        }
        const char *start = word + strlen(key);
        size_t length = strcspn(start, " \n");
        if (length >= size) {
            length = size - 1;
        }
        memcpy(value, start, length);
        value[length] = '\0';
        return 1;
    }
    return 0;
}

static unsigned parse_bounded(const char *text, unsigned maximum, unsigned fallback) {
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || end == text || (*end != '\0' && *end != '\r') || value > maximum) {
        return fallback;
    }
    return (unsigned)value;
}

/* Applies one control line from ttyS1: "rate <MiB/s>" or "wss <MiB>". */
static void apply_control_line(char *line) {
    char *argument = strchr(line, ' ');
    if (argument == NULL) {
        if (line[0] != '\0') {
            console_line("livcloud-control error=\"expected 'rate <MiB/s>' or 'wss <MiB>', got '%.40s'\"", line);
        }
        return;
    }
    *argument++ = '\0';
    if (strcmp(line, "rate") == 0) {
        unsigned rate = parse_bounded(argument, MAX_RATE_MIBPS, UINT32_MAX);
        if (rate == UINT32_MAX) {
            console_line("livcloud-control error=\"bad rate '%.20s'\"", argument);
            return;
        }
        rate_mibps = rate;
    } else if (strcmp(line, "wss") == 0) {
        unsigned wss = parse_bounded(argument, MAX_WSS_MIB, 0);
        if (wss == 0) {
            console_line("livcloud-control error=\"bad wss '%.20s'\"", argument);
            return;
        }
        if (wss != wss_mib && resize_working_set(wss) != 0) {
            return;
        }
    } else {
        console_line("livcloud-control error=\"unknown command '%.20s'\"", line);
        return;
    }
    console_line("livcloud-control rate=%u wss=%u", rate_mibps, wss_mib);
}

/* Reads what ttyS1 has (non-blocking) and applies each complete line. */
static void read_control(int control_fd) {
    static char line[128];
    static size_t length;
    char buffer[128];
    ssize_t count;
    while ((count = read(control_fd, buffer, sizeof buffer)) > 0) {
        for (ssize_t i = 0; i < count; i++) {
            char c = buffer[i];
            if (c == '\n' || c == '\r') {
                line[length] = '\0';
                apply_control_line(line);
                length = 0;
            } else if (length < sizeof line - 1) {
                line[length++] = c;
            }
        }
    }
}

static int open_control_port(void) {
    int fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        console_line("livcloud-workload control=none error=\"/dev/ttyS1: %s\"", strerror(errno));
        return -1;
    }
    struct termios settings;
    if (tcgetattr(fd, &settings) == 0) {
        cfmakeraw(&settings);  /* no echo back to the sender, no line editing: bytes as they come */
        settings.c_cflag |= CLOCAL | CREAD;  /* no modem lines: a socket backend reports no carrier */
        tcsetattr(fd, TCSANOW, &settings);
    }
    return fd;
}

static int open_udp_echo(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(ECHO_PORT), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        console_line("livcloud-workload udp-echo=none error=\"%s\"", strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    console_line("livcloud-workload udp-echo=%d", ECHO_PORT);
    return fd;
}

static void echo_datagrams(int udp_fd) {
    char datagram[2048];
    struct sockaddr_in peer;
    socklen_t peer_length = sizeof peer;
    ssize_t count;
    while ((count = recvfrom(udp_fd, datagram, sizeof datagram, 0, (struct sockaddr *)&peer, &peer_length)) >= 0) {
        sendto(udp_fd, datagram, (size_t)count, 0, (struct sockaddr *)&peer, peer_length);
        peer_length = sizeof peer;
    }
}

int main(void) {
    int fd = open("/dev/ttyS0", O_WRONLY | O_NOCTTY);
    if (fd >= 0) {
        console_fd = fd;
    }

    char cmdline[4096] = "";
    FILE *file = fopen("/proc/cmdline", "r");
    if (file != NULL) {
        if (fgets(cmdline, sizeof cmdline, file) == NULL) {
            cmdline[0] = '\0';
        }
        fclose(file);
    }
    char value[64];
    rate_mibps = command_line_value(cmdline, "rate", value, sizeof value) ? parse_bounded(value, MAX_RATE_MIBPS, 0) : 0;
    unsigned initial_wss = command_line_value(cmdline, "wss", value, sizeof value)
        ? parse_bounded(value, MAX_WSS_MIB, 16) : 16;
    if (initial_wss == 0) {
        initial_wss = 16;
    }

    struct utsname system;
    uname(&system);
    if (resize_working_set(initial_wss) != 0 && resize_working_set(1) != 0) {
        return 1;
    }
    console_line("livcloud-workload started arch=%s bits=%u kernel=%s rate=%u wss=%u",
                 system.machine, (unsigned)(sizeof(void *) * 8), system.release, rate_mibps, wss_mib);

    struct pollfd inputs[2];
    nfds_t input_count = 0;
    int control_fd = open_control_port();
    if (control_fd >= 0) {
        inputs[input_count++] = (struct pollfd){.fd = control_fd, .events = POLLIN};
    }
    int udp_fd = command_line_value(cmdline, "ip", value, sizeof value) ? open_udp_echo() : -1;
    if (udp_fd >= 0) {
        inputs[input_count++] = (struct pollfd){.fd = udp_fd, .events = POLLIN};
    }

    uint64_t sequence = 0;
    uint64_t now = monotonic_ns();
    uint64_t next_heartbeat = now;
    uint64_t next_slice = now;
    uint64_t last_dirty = now;
    uint64_t page_remainder = 0;  /* fractions of a page owed, in units of 1/1e9 page */
    for (;;) {
        now = monotonic_ns();

        if (now >= next_slice) {
            /* Dirty what the rate asks for the time since the last slice: pages = MiB/s * 256 * seconds. */
            uint64_t elapsed = now - last_dirty;
            last_dirty = now;
            if (elapsed > MAX_CATCH_UP_NS) {
                elapsed = MAX_CATCH_UP_NS;
            }
            uint64_t owed = (uint64_t)rate_mibps * PAGES_PER_MIB * elapsed + page_remainder;
            dirty_pages((size_t)(owed / 1000000000ull));
            page_remainder = owed % 1000000000ull;
            next_slice += SLICE_NS;
            if (next_slice <= now) {
                next_slice = now + SLICE_NS;
            }
        }

        if (now >= next_heartbeat) {
            console_line("livcloud-heartbeat seq=%llu uptime_ms=%llu rate=%u wss=%u",
                         (unsigned long long)++sequence, (unsigned long long)(now / 1000000ull), rate_mibps, wss_mib);
            next_heartbeat += HEARTBEAT_NS;
            if (next_heartbeat <= now) {
                next_heartbeat = now + HEARTBEAT_NS;  /* after a stall: no burst of late heartbeats, the gap shows */
            }
        }

        /* Sleep until the next slice or heartbeat, waking early for control input or a datagram. */
        uint64_t wake = next_slice < next_heartbeat ? next_slice : next_heartbeat;
        now = monotonic_ns();
        uint64_t wait = wake > now ? wake - now : 0;
        struct timespec timeout = {.tv_sec = (time_t)(wait / 1000000000ull), .tv_nsec = (long)(wait % 1000000000ull)};
        if (ppoll(inputs, input_count, &timeout, NULL) <= 0) {
            continue;
        }
        for (nfds_t i = 0; i < input_count; i++) {
            if (inputs[i].revents & (POLLERR | POLLNVAL)) {
                inputs[i].fd = -1;  /* a broken input is dropped rather than polled in a busy loop */
            } else if (inputs[i].revents != 0 && inputs[i].fd == control_fd) {
                read_control(control_fd);
            } else if (inputs[i].revents != 0) {
                echo_datagrams(udp_fd);
            }
        }
    }
}
