"""Rewrites the output under every `$ COMMAND` line of README.md's ```console blocks with what the
command prints, run as DocumentationTests runs it: `scansh` on PATH, a clean home, UTC, stderr merged
into stdout, from the repository's root. DocumentationTests then compares them.

    python3 scripts/lib/readme-examples.py BINARY
"""
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
binary = os.path.abspath(sys.argv[1])
readme = os.path.join(root, "README.md")

with tempfile.TemporaryDirectory() as work:
    bin_dir = os.path.join(work, "bin")
    home = os.path.join(work, "home")
    os.makedirs(bin_dir)
    os.makedirs(home)
    os.symlink(binary, os.path.join(bin_dir, "scansh"))
    env = {"HOME": home, "TZ": "UTC", "PATH": bin_dir + ":/usr/bin:/bin", "LANG": "C.UTF-8", "PAGER": ""}

    def run(command):
        done = subprocess.run(["/bin/sh", "-c", command], cwd=root, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        # A README cannot show carriage returns: CSV's CRLF line ends are written as LF.
        return done.stdout.decode().replace("\r\n", "\n").split("\n")[:-1]

    lines = open(readme, encoding="utf-8").read().split("\n")
    out = []
    in_console = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("```"):
            in_console = line == "```console" and not in_console
            out.append(line)
            index += 1
            continue
        if in_console and line.startswith("$ "):
            out.append(line)
            out.extend(run(line[2:]))
            index += 1
            # Skip the old output, up to the next command or the block's end.
            while index < len(lines) and not lines[index].startswith("$ ") and not lines[index].startswith("```"):
                index += 1
            continue
        out.append(line)
        index += 1
    open(readme, "w", encoding="utf-8").write("\n".join(out))
