/* posix port: the bridge core as a Linux process. Host link and scanner link are ttys (usually pseudo-terminals),
 * buttons come from a tty ('y' / 'n') or SIGUSR1 / SIGUSR2, and the "panel" is an ILI9341 emulator fed by the
 * real panel driver, dumped as PNG (or raw RGB888) after each SCREEN_END, after drawing settles, and at exit. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "bridge.h"
#include "ili9341_emu.h"
#include "png.h"

#define PRESS_MS 80u
#define DUMP_IDLE_MS 40u

struct posix {
    int host_fd, scanner_fd, buttons_fd;
    const char *fb_path;
    bool quiet;
    struct ili9341_emu emu;
    uint32_t last_draw;
    uint32_t press_until[BUTTON_COUNT];
    bool pressing[BUTTON_COUNT];
    uint32_t dumps;
};

static volatile sig_atomic_t stop_requested, yes_signals, no_signals;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        yes_signals++;
    else if (sig == SIGUSR2)
        no_signals++;
    else
        stop_requested = 1;
}

static uint32_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static void make_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
}

/* "pty" → a new pseudo-terminal whose other end is printed as "<name> <path>"; anything else is opened as a tty. */
static int open_link(const char *name, const char *spec)
{
    int fd;
    if (strcmp(spec, "pty") == 0) {
        fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
        if (fd < 0 || grantpt(fd) || unlockpt(fd)) {
            perror("posix_openpt");
            exit(2);
        }
        const char *path = ptsname(fd);
        int slave = open(path, O_RDWR | O_NOCTTY);
        if (slave >= 0) { /* raw from the start: no echo of our own frames, no CR/LF translation */
            make_raw(slave);
            close(slave);
        }
        printf("%s %s\n", name, path);
        fflush(stdout);
    } else {
        fd = open(spec, O_RDWR | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
            fprintf(stderr, "proofdesk-bridge: cannot open %s %s: %s\n", name, spec, strerror(errno));
            exit(2);
        }
        make_raw(fd);
    }
    return fd;
}

static void dump(struct posix *px)
{
    if (!px->fb_path)
        return;
    static uint8_t rgb[EMU_W * EMU_H * 3];
    emu_render_rgb(&px->emu, rgb);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", px->fb_path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        perror(tmp);
        return;
    }
    size_t n = strlen(px->fb_path);
    int err = (n > 4 && strcmp(px->fb_path + n - 4, ".png") == 0) ? png_write_rgb(f, rgb, EMU_W, EMU_H)
                                                                   : (fwrite(rgb, 1, sizeof rgb, f) == sizeof rgb ? 0 : -1);
    if (fclose(f) != 0 || err != 0 || rename(tmp, px->fb_path) != 0) { /* rename: readers never see half a file */
        perror(px->fb_path);
        return;
    }
    px->emu.dirty = false;
    px->dumps++;
}

/* ---- port callbacks ---- */

static void host_write(void *ctx, const uint8_t *data, size_t len)
{
    struct posix *px = ctx;
    size_t done = 0;
    int waits = 0;
    while (done < len) {
        ssize_t w = write(px->host_fd, data + done, len - done);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return; /* nobody on the other end: the link layer's retries and watchdog take care of it */
        struct pollfd p = {px->host_fd, POLLOUT, 0};
        if (++waits > 10 || poll(&p, 1, 20) < 0) /* ≤ 200 ms: a stuck host must not freeze the scanner side */
            return;
    }
}

static void p_select(void *ctx, bool s) { emu_select(&((struct posix *)ctx)->emu, s); }
static void p_dc(void *ctx, bool d) { emu_dc(&((struct posix *)ctx)->emu, d); }
static void p_write(void *ctx, const uint8_t *b, size_t n)
{
    struct posix *px = ctx;
    emu_write(&px->emu, b, n);
    px->last_draw = now_ms();
}
static void p_reset(void *ctx, bool a) { emu_reset(&((struct posix *)ctx)->emu, a); }
static void p_delay(void *ctx, uint32_t ms)
{
    (void)ctx;
    (void)ms; /* the emulator needs no settling time */
}
static void leds(void *ctx, bool g, bool r)
{
    struct posix *px = ctx;
    if (!px->quiet)
        fprintf(stderr, "led green=%s red=%s\n", g ? "on" : "off", r ? "on" : "off");
}
static void buzzer(void *ctx, uint16_t hz)
{
    struct posix *px = ctx;
    if (!px->quiet)
        fprintf(stderr, "buzzer %uHz\n", hz);
}
static void screen_done(void *ctx, uint16_t screen)
{
    struct posix *px = ctx;
    dump(px);
    if (!px->quiet)
        fprintf(stderr, "screen %u drawn\n", screen);
}

static void press(struct posix *px, unsigned i, uint32_t now)
{
    px->pressing[i] = true;
    px->press_until[i] = now + PRESS_MS;
}

static uint8_t button_levels(struct posix *px, uint32_t now)
{
    uint8_t raw = 0;
    for (unsigned i = 0; i < BUTTON_COUNT; i++) {
        if (px->pressing[i] && (int32_t)(now - px->press_until[i]) >= 0)
            px->pressing[i] = false;
        if (px->pressing[i])
            raw |= (uint8_t)(1u << i);
    }
    return raw;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: proofdesk-bridge --host-link PATH|pty --scanner PATH|pty [--buttons PATH|pty]\n"
            "                        [--framebuffer OUT.png|OUT.rgb] [--quiet]\n"
            "  pty: create a pseudo-terminal and print \"<link> <path>\" on stdout\n"
            "  buttons: 'y'/'1' = YES, 'n'/'2' = NO on the buttons tty, or SIGUSR1 = YES, SIGUSR2 = NO\n"
            "  framebuffer: written after each SCREEN_END, when drawing settles, and at exit (SIGTERM/SIGINT)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    static struct posix px;
    static struct bridge b;
    const char *host = NULL, *scanner = NULL, *buttons = NULL;
    px.host_fd = px.scanner_fd = px.buttons_fd = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") == 0)
            px.quiet = true;
        else if (i + 1 < argc && strcmp(argv[i], "--host-link") == 0)
            host = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--scanner") == 0)
            scanner = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--buttons") == 0)
            buttons = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--framebuffer") == 0)
            px.fb_path = argv[++i];
        else
            usage();
    }
    if (!host || !scanner)
        usage();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    px.host_fd = open_link("host-link", host);
    px.scanner_fd = open_link("scanner", scanner);
    if (buttons)
        px.buttons_fd = open_link("buttons", buttons);
    printf("ready pid %ld\n", (long)getpid());
    fflush(stdout);

    emu_init(&px.emu);
    static struct bridge_port port;
    port = (struct bridge_port){
        .ctx = &px,
        .host_write = host_write,
        .panel = {&px, p_select, p_dc, p_write, p_reset, p_delay},
        .leds = leds,
        .buzzer = buzzer,
        .scanner_baud = NULL,
        .screen_done = screen_done,
    };
    bridge_init(&b, &port, now_ms());

    uint8_t buf[4096];
    while (!stop_requested) {
        struct pollfd fds[3] = {{px.host_fd, POLLIN, 0}, {px.scanner_fd, POLLIN, 0}, {px.buttons_fd, POLLIN, 0}};
        poll(fds, buttons ? 3 : 2, 5); /* a closed pty end reports POLLHUP at once; the 5 ms step bounds the loop */
        uint32_t now = now_ms();
        ssize_t n;
        if ((fds[0].revents & POLLIN) && (n = read(px.host_fd, buf, sizeof buf)) > 0)
            bridge_host_bytes(&b, buf, (size_t)n, now);
        if ((fds[1].revents & POLLIN) && (n = read(px.scanner_fd, buf, sizeof buf)) > 0)
            bridge_scanner_bytes(&b, buf, (size_t)n, now);
        if (buttons && (fds[2].revents & POLLIN) && (n = read(px.buttons_fd, buf, sizeof buf)) > 0) {
            for (ssize_t i = 0; i < n; i++) {
                if (strchr("yY1", buf[i]))
                    press(&px, 0, now);
                else if (strchr("nN2", buf[i]))
                    press(&px, 1, now);
            }
        }
        for (; yes_signals > 0; yes_signals--)
            press(&px, 0, now);
        for (; no_signals > 0; no_signals--)
            press(&px, 1, now);
        bridge_buttons(&b, button_levels(&px, now), now);
        bridge_poll(&b, now);
        if (px.emu.dirty && (uint32_t)(now - px.last_draw) >= DUMP_IDLE_MS)
            dump(&px);
        if ((fds[0].revents & POLLHUP) && !(fds[0].revents & POLLIN)) {
            struct timespec pause = {0, 5 * 1000000L}; /* host end not open yet: do not spin */
            nanosleep(&pause, NULL);
        }
    }
    dump(&px);
    if (!px.quiet)
        fprintf(stderr, "stats frames_in=%u bad_frames_in=%u scans=%u dropped=%u buttons=%u dumps=%u\n",
                b.stats.frames_in, b.stats.bad_frames_in, b.stats.scans, b.stats.dropped, b.stats.buttons, px.dumps);
    return 0;
}
