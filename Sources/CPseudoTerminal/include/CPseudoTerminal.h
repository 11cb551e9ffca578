int scansh_pty_placeholder(void);
