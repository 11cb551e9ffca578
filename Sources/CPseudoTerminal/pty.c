#include "CPseudoTerminal.h"
int scansh_pty_placeholder(void) { return 0; }
