#include "CEditLine.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <wchar.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

EditLine *scansh_el_init(const char *program) { return el_init(program, stdin, stdout, stderr); }

int scansh_el_set_prompt(EditLine *el, scansh_prompt_fn prompt) { return el_set(el, EL_PROMPT, prompt); }

int scansh_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }

int scansh_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }

void *scansh_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

int scansh_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }

int scansh_el_add_function(EditLine *el, const char *name, const char *help, scansh_command_fn function) {
    return el_set(el, EL_ADDFN, name, help, function);
}

int scansh_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

int scansh_el_refresh(EditLine *el) { return el_set(el, EL_REFRESH); }

int scansh_el_prepare_terminal(EditLine *el) { return el_set(el, EL_PREP_TERM, 1); }

History *scansh_history_init(int size) {
    History *h = history_init();
    if (h == NULL) return NULL;
    HistEvent event;
    // A fresh history has room for nothing; size it before anything is entered.
    history(h, &event, H_SETSIZE, size);
    history(h, &event, H_SETUNIQUE, 1);
    return h;
}

int scansh_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}

int scansh_history_clear(History *h) {
    HistEvent event;
    return history(h, &event, H_CLEAR);
}

static volatile sig_atomic_t sigint_flag = 0;
static volatile sig_atomic_t sigwinch_flag = 0;
/// SIGTERM or SIGHUP: the session manager wants the shell to end.
static volatile sig_atomic_t terminate_signal = 0;
static int signal_pipe[2] = {-1, -1};
static struct sigaction previous_int;
static struct sigaction previous_winch;
static struct sigaction previous_term;
static struct sigaction previous_hup;

static void on_signal(int number) {
    int saved = errno;
    if (number == SIGINT) sigint_flag = 1;
    if (number == SIGWINCH) sigwinch_flag = 1;
    if (number == SIGTERM || number == SIGHUP) terminate_signal = number;
    if (signal_pipe[1] >= 0) {
        char byte = (char)number;
        ssize_t ignored = write(signal_pipe[1], &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int scansh_signals_install(void) {
    if (signal_pipe[0] < 0) {
        if (pipe(signal_pipe) != 0) return -1;
        for (int i = 0; i < 2; i++) {
            fcntl(signal_pipe[i], F_SETFL, fcntl(signal_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(signal_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a read blocked at the prompt returns EINTR
    if (sigaction(SIGINT, &action, &previous_int) != 0) return -1;
    if (sigaction(SIGWINCH, &action, &previous_winch) != 0) return -1;
    if (sigaction(SIGTERM, &action, &previous_term) != 0) return -1;
    if (sigaction(SIGHUP, &action, &previous_hup) != 0) return -1;
    return 0;
}

void scansh_signals_restore(void) {
    sigaction(SIGINT, &previous_int, NULL);
    sigaction(SIGWINCH, &previous_winch, NULL);
    sigaction(SIGTERM, &previous_term, NULL);
    sigaction(SIGHUP, &previous_hup, NULL);
}

int scansh_terminate_signal(void) { return terminate_signal; }

int scansh_sigint_pending(void) { return sigint_flag; }
void scansh_sigint_clear(void) { sigint_flag = 0; }
int scansh_sigwinch_pending(void) { return sigwinch_flag; }
void scansh_sigwinch_clear(void) { sigwinch_flag = 0; }
int scansh_signal_fd(void) { return signal_pipe[0]; }

void scansh_signal_drain(void) {
    char buffer[64];
    while (signal_pipe[0] >= 0 && read(signal_pipe[0], buffer, sizeof buffer) > 0) {
    }
}

int scansh_set_utf8_locale(void) {
    // Without a UTF-8 locale, libedit silently drops multibyte input.
    if (setlocale(LC_ALL, "") != NULL && strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return 0;
    if (setlocale(LC_ALL, "C.UTF-8") != NULL) return 0;
    return -1;
}

int scansh_terminal_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return 0;
    return size.ws_col;
}

int scansh_terminal_rows(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) return 0;
    return size.ws_row;
}

/// libedit's reader, but one a Ctrl-C always interrupts: it waits on the terminal and the signal
/// self-pipe together, so a SIGINT that lands between two reads is not lost, and it decodes UTF-8
/// itself (mbrtowc) as libedit's own reader would.
static int signal_aware_read(EditLine *el, wchar_t *out) {
    (void)el;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    for (;;) {
        if (terminate_signal) {  // as for Ctrl-C: the line editor returns and lets go of the terminal
            errno = EINTR;
            return -1;
        }
        if (sigint_flag) {
            errno = EINTR;
            return -1;
        }
        struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = signal_pipe[0], .events = POLLIN}};
        int ready = poll(fds, signal_pipe[0] >= 0 ? 2 : 1, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (signal_pipe[0] >= 0 && (fds[1].revents & POLLIN)) scansh_signal_drain();
        if (sigint_flag || terminate_signal) continue;  // a signal outranks keys typed after it
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char byte;
        ssize_t count = read(0, &byte, 1);
        if (count == 0) return 0;
        if (count < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        size_t used = mbrtowc(out, &byte, 1, &state);
        if (used == (size_t)-2) continue;  // more bytes to come
        if (used == (size_t)-1) {
            memset(&state, 0, sizeof state);
            continue;  // not UTF-8: drop it
        }
        if (used == 0) *out = L'\0';
        return 1;
    }
}

int scansh_el_use_signal_aware_reader(EditLine *el) { return el_set(el, EL_GETCFN, signal_aware_read); }
