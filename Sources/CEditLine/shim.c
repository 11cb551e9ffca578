#include "CEditLine.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <wchar.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/// libedit, opened when the interactive shell starts (`scansh_editline_load`), not linked: scripts,
/// `-c` and CI runs neither load it (nor its libtinfo, libbsd and libmd) nor need it installed.
static struct {
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    void (*el_reset)(EditLine *);
    const char *(*el_gets)(EditLine *, int *);
    int (*el_wgetc)(EditLine *, wchar_t *);
    void (*el_push)(EditLine *, const char *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    int (*el_source)(EditLine *, const char *);
    void (*el_resize)(EditLine *);
    const LineInfo *(*el_line)(EditLine *);
    int (*el_insertstr)(EditLine *, const char *);
    void (*el_deletestr)(EditLine *, int);
    int (*el_cursor)(EditLine *, int);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} edit;

static char load_error[512];

const char *scansh_editline_load(void) {
    if (edit.el_init != NULL) return NULL;
    if (load_error[0] != '\0') return load_error;
    void *library = dlopen("libedit.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libedit.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why != NULL ? why : "libedit.so.2 cannot be opened");
        return load_error;
    }
#define SCANSH_FIND(name)                                                                    \
    do {                                                                                     \
        *(void **)&edit.name = dlsym(library, #name);                                        \
        if (edit.name == NULL) {                                                             \
            snprintf(load_error, sizeof load_error, "libedit has no %s", #name);             \
            edit.el_init = NULL;                                                             \
            return load_error;                                                               \
        }                                                                                    \
    } while (0)
    SCANSH_FIND(el_end);
    SCANSH_FIND(el_reset);
    SCANSH_FIND(el_gets);
    SCANSH_FIND(el_wgetc);
    SCANSH_FIND(el_push);
    SCANSH_FIND(el_set);
    SCANSH_FIND(el_get);
    SCANSH_FIND(el_source);
    SCANSH_FIND(el_resize);
    SCANSH_FIND(el_line);
    SCANSH_FIND(el_insertstr);
    SCANSH_FIND(el_deletestr);
    SCANSH_FIND(el_cursor);
    SCANSH_FIND(history_init);
    SCANSH_FIND(history_end);
    SCANSH_FIND(history);
    // Last: a non-NULL el_init says every other one was found.
    SCANSH_FIND(el_init);
#undef SCANSH_FIND
    return NULL;
}

EditLine *scansh_el_init(const char *program) {
    if (scansh_editline_load() != NULL) return NULL;
    return edit.el_init(program, stdin, stdout, stderr);
}

void scansh_el_end(EditLine *el) { edit.el_end(el); }
void scansh_el_reset(EditLine *el) { edit.el_reset(el); }
const char *scansh_el_gets(EditLine *el, int *count) { return edit.el_gets(el, count); }
int scansh_el_wgetc(EditLine *el, wchar_t *key) { return edit.el_wgetc(el, key); }
void scansh_el_push(EditLine *el, const char *text) { edit.el_push(el, text); }
int scansh_el_source(EditLine *el, const char *file) { return edit.el_source(el, file); }
void scansh_el_resize(EditLine *el) { edit.el_resize(el); }
const LineInfo *scansh_el_line(EditLine *el) { return edit.el_line(el); }
int scansh_el_insertstr(EditLine *el, const char *text) { return edit.el_insertstr(el, text); }
void scansh_el_deletestr(EditLine *el, int count) { edit.el_deletestr(el, count); }
int scansh_el_cursor(EditLine *el, int offset) { return edit.el_cursor(el, offset); }
void scansh_history_end(History *h) { edit.history_end(h); }

int scansh_el_set_prompt(EditLine *el, scansh_prompt_fn prompt) { return edit.el_set(el, EL_PROMPT, prompt); }

int scansh_el_set_editor(EditLine *el, const char *mode) { return edit.el_set(el, EL_EDITOR, mode); }

int scansh_el_set_clientdata(EditLine *el, void *data) { return edit.el_set(el, EL_CLIENTDATA, data); }

void *scansh_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (edit.el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

int scansh_el_set_history(EditLine *el, History *h) { return edit.el_set(el, EL_HIST, edit.history, h); }

int scansh_el_add_function(EditLine *el, const char *name, const char *help, scansh_command_fn function) {
    return edit.el_set(el, EL_ADDFN, name, help, function);
}

int scansh_el_bind(EditLine *el, const char *key, const char *command) {
    return edit.el_set(el, EL_BIND, key, command, NULL);
}

int scansh_el_refresh(EditLine *el) { return edit.el_set(el, EL_REFRESH); }

int scansh_el_prepare_terminal(EditLine *el) { return edit.el_set(el, EL_PREP_TERM, 1); }

History *scansh_history_init(int size) {
    if (scansh_editline_load() != NULL) return NULL;
    History *h = edit.history_init();
    if (h == NULL) return NULL;
    HistEvent event;
    // A fresh history has room for nothing; size it before anything is entered.
    edit.history(h, &event, H_SETSIZE, size);
    edit.history(h, &event, H_SETUNIQUE, 1);
    return h;
}

int scansh_history_enter(History *h, const char *line) {
    HistEvent event;
    return edit.history(h, &event, H_ENTER, line);
}

int scansh_history_clear(History *h) {
    HistEvent event;
    return edit.history(h, &event, H_CLEAR);
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

int scansh_el_use_signal_aware_reader(EditLine *el) { return edit.el_set(el, EL_GETCFN, signal_aware_read); }
