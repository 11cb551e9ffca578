#ifndef SCANSH_CEDITLINE_H
#define SCANSH_CEDITLINE_H

#include <histedit.h>
#include <stdio.h>
#include <wchar.h>

/// libedit, opened at run time, behind fixed-arity wrappers (Swift cannot call its variadic
/// el_set/el_get/history), plus the signal plumbing the REPL needs (a SIGINT that interrupts reads
/// instead of restarting).

typedef char *_Nullable (*scansh_prompt_fn)(EditLine *_Nonnull);
typedef unsigned char (*scansh_command_fn)(EditLine *_Nonnull, int);

/// Opens libedit (it is not linked): NULL when it is ready, else why it cannot be had.
const char *_Nullable scansh_editline_load(void);

EditLine *_Nullable scansh_el_init(const char *_Nonnull program);
void scansh_el_end(EditLine *_Nonnull el);
void scansh_el_reset(EditLine *_Nonnull el);
const char *_Nullable scansh_el_gets(EditLine *_Nonnull el, int *_Nonnull count);
int scansh_el_wgetc(EditLine *_Nonnull el, wchar_t *_Nonnull key);
void scansh_el_push(EditLine *_Nonnull el, const char *_Nonnull text);
int scansh_el_source(EditLine *_Nonnull el, const char *_Nullable file);
void scansh_el_resize(EditLine *_Nonnull el);
const LineInfo *_Nullable scansh_el_line(EditLine *_Nonnull el);
int scansh_el_insertstr(EditLine *_Nonnull el, const char *_Nonnull text);
void scansh_el_deletestr(EditLine *_Nonnull el, int count);
int scansh_el_cursor(EditLine *_Nonnull el, int offset);
void scansh_history_end(History *_Nonnull h);
int scansh_el_set_prompt(EditLine *_Nonnull el, scansh_prompt_fn _Nonnull prompt);
int scansh_el_set_editor(EditLine *_Nonnull el, const char *_Nonnull mode);
int scansh_el_set_clientdata(EditLine *_Nonnull el, void *_Nullable data);
void *_Nullable scansh_el_get_clientdata(EditLine *_Nonnull el);
int scansh_el_set_history(EditLine *_Nonnull el, History *_Nonnull h);
int scansh_el_add_function(EditLine *_Nonnull el, const char *_Nonnull name, const char *_Nonnull help,
                           scansh_command_fn _Nonnull function);
int scansh_el_bind(EditLine *_Nonnull el, const char *_Nonnull key, const char *_Nonnull command);
int scansh_el_refresh(EditLine *_Nonnull el);

/// Puts the terminal into the editor's raw mode now. `el_gets` prints the prompt before it does
/// this itself, so keys typed the moment the prompt shows would be echoed once by the terminal
/// and again by the editor.
int scansh_el_prepare_terminal(EditLine *_Nonnull el);
/// Reads keys through a reader that Ctrl-C always interrupts (see shim.c).
int scansh_el_use_signal_aware_reader(EditLine *_Nonnull el);

History *_Nullable scansh_history_init(int size);
int scansh_history_enter(History *_Nonnull h, const char *_Nonnull line);
int scansh_history_clear(History *_Nonnull h);

/// Installs SIGINT and SIGWINCH handlers with sigaction and without SA_RESTART, so a Ctrl-C makes
/// a blocking read return EINTR. Each signal also writes a byte to a self-pipe, for poll().
int scansh_signals_install(void);
void scansh_signals_restore(void);
int scansh_sigint_pending(void);
void scansh_sigint_clear(void);
int scansh_sigwinch_pending(void);
void scansh_sigwinch_clear(void);
/// The read end of the self-pipe; readable after any handled signal.
int scansh_signal_fd(void);
/// Empties the self-pipe.
void scansh_signal_drain(void);

int scansh_set_utf8_locale(void);
int scansh_terminal_columns(int fd);
/// SIGTERM or SIGHUP received (its number), else 0.
int scansh_terminate_signal(void);
int scansh_terminal_rows(int fd);

#endif
