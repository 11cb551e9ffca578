#ifndef SCANSH_CPSEUDOTERMINAL_H
#define SCANSH_CPSEUDOTERMINAL_H

#include <sys/types.h>

/// Starts `path` on a new pseudo-terminal of the given size, as the session leader with the
/// terminal as its controlling terminal (so Ctrl-C typed into it raises SIGINT). Returns the
/// child's pid and stores the master side in `*master`; -1 on failure.
pid_t scansh_pty_spawn(const char *_Nonnull path, char *_Nullable const *_Nonnull argv,
                       char *_Nullable const *_Nonnull envp, unsigned short rows, unsigned short columns,
                       int *_Nonnull master);

int scansh_pty_resize(int master, unsigned short rows, unsigned short columns);

#endif
