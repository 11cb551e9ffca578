"""Writes scansh(1) in roff from the binary itself, so the page cannot drift from the program.

    python3 scripts/lib/manpage.py BINARY > scansh.1

Options and subcommands come from `BINARY --experimental-dump-help` (ArgumentParser's description of
the command line); the language summary from `BINARY -c help`; the rest (exit status, environment,
files) is written here once.
"""
import json
import subprocess
import sys

BINARY = sys.argv[1]
ENV = {'PATH': '/usr/bin:/bin', 'NO_COLOR': '1', 'HOME': '/nonexistent', 'TZ': 'UTC'}


def output(*arguments):
    return subprocess.run([BINARY, *arguments], capture_output=True, text=True, env=ENV, check=True).stdout


def escape(text):
    """roff text: backslashes doubled, a leading dot or quote guarded, hyphens as minus signs in flags."""
    text = text.replace('\\', '\\e')
    lines = []
    for line in text.split('\n'):
        if line.startswith(('.', "'")):
            line = '\\&' + line
        lines.append(line)
    return '\n'.join(lines)


def flag(text):
    return escape(text).replace('-', '\\-')


def option_names(argument):
    names = []
    for name in argument.get('names', []):
        prefix = {'long': '--', 'short': '-', 'longWithSingleDash': '-'}[name['kind']]
        names.append(prefix + name['name'])
    return names


def options(arguments):
    lines = []
    for argument in arguments:
        if not argument.get('shouldDisplay', True):
            continue
        value = argument.get('valueName', '')
        if argument['kind'] == 'positional':
            head = '\\fI' + flag(value.upper()) + '\\fR' + ('...' if argument.get('isRepeating') else '')
        else:
            head = ', '.join('\\fB' + flag(name) + '\\fR' for name in option_names(argument))
            if argument['kind'] == 'option':
                head += ' \\fI' + flag(value) + '\\fR'
        lines += ['.TP', head, escape(argument.get('abstract', ''))]
        if 'defaultValue' in argument:
            lines[-1] += ' (default: ' + escape(argument['defaultValue']) + ')'
        if argument.get('discussion'):
            lines += ['.IP', escape(argument['discussion'])]
    return lines


def paragraphs(text):
    """Discussion text: blank lines separate paragraphs; indented lines stay as they are."""
    lines = []
    for block in text.strip().split('\n\n'):
        block_lines = block.split('\n')
        if all(line.startswith('  ') for line in block_lines[1:]) and len(block_lines) > 1:
            lines += ['.PP', escape(block_lines[0]), '.nf', '.RS 4', *[escape(line.strip()) for line in block_lines[1:]],
                      '.RE', '.fi']
        else:
            lines += ['.PP', escape(' '.join(line.strip() for line in block_lines))]
    return lines


def main():
    tool = json.loads(output('--experimental-dump-help'))['command']
    version = output('--version').strip()
    discussion = tool.get('discussion', '').split('\n\nExit codes:')[0]
    page = [
        f'.TH SCANSH 1 "" "scansh {escape(version)}" "User Commands"',
        '.SH NAME',
        'scansh \\- ' + escape(tool['abstract']),
        '.SH SYNOPSIS',
        '.B scansh',
        '[\\fIOPTIONS\\fR] [\\fB\\-c\\fR \\fISTATEMENTS\\fR | \\fIFILE\\fR...]',
        '.br',
        '.B scansh sim',
        '[\\fIOPTIONS\\fR]',
        '.SH DESCRIPTION',
        *paragraphs(discussion),
        '.SH OPTIONS',
        *options(tool['arguments']),
    ]
    for command in tool.get('subcommands', []):
        if command['commandName'] == 'help':
            continue
        page += ['.SH COMMAND: ' + escape(command['commandName'].upper()), '.PP',
                 '\\fBscansh ' + escape(command['commandName']) + '\\fR \\- ' + escape(command.get('abstract', ''))]
        if command.get('discussion'):
            page += paragraphs(command['discussion'])
        page += options(command.get('arguments', []))
    page += [
        '.SH LANGUAGE',
        'Statements are a source and stages joined by \\fB|\\fR; the shell\'s \\fBhelp\\fR prints:',
        '.PP', '.nf', '.RS 4', *[escape(line) for line in output('-c', 'help').rstrip().split('\n')], '.RE', '.fi',
        '.PP',
        'The full reference, with an example and its output for every stage, is docs/language.md in the '
        'source tree, and \\fBhelp\\fR \\fINAME\\fR in the shell.',
        '.SH EXIT STATUS',
        '.TP', '0', 'Success.',
        '.TP', '1', 'An \\fBexpect\\fR or \\fBwatch ... until\\fR condition failed.',
        '.TP', '2', 'Usage or parse error; nothing was sent.',
        '.TP', '3', 'The API refused the request (authentication, throttling past retries, a bad parameter).',
        '.TP', '4', 'Network error.',
        '.TP', '5', 'A file could not be written (\\fBsave\\fR, history); nothing half-written is left.',
        '.TP', '70', 'Internal error.',
        '.TP', '129, 130, 143', 'Hung up, interrupted, terminated.',
        '.SH ENVIRONMENT',
        '.TP', '\\fBALIBABA_CLOUD_ACCESS_KEY_ID\\fR, \\fBALIBABA_CLOUD_ACCESS_KEY_SECRET\\fR, '
        '\\fBALIBABA_CLOUD_SECURITY_TOKEN\\fR',
        'Credentials; with none anywhere in the credential chain, scansh runs in demo mode and says so on stderr.',
        '.TP', '\\fBALIBABA_CLOUD_PROFILE\\fR, \\fBALIBABA_CLOUD_CONFIG_FILE\\fR',
        'The aliyun\\-cli profile and file to read (default ~/.aliyun/config.json).',
        '.TP', '\\fBALIBABA_CLOUD_ROLE_ARN\\fR, \\fBALIBABA_CLOUD_OIDC_PROVIDER_ARN\\fR, '
        '\\fBALIBABA_CLOUD_OIDC_TOKEN_FILE\\fR',
        'OIDC role credentials (RRSA).',
        '.TP', '\\fBALIBABA_CLOUD_ECS_METADATA\\fR',
        'Use this ECS instance role.',
        '.TP', '\\fBALIBABA_CLOUD_REGION_ID\\fR, \\fBALIBABA_CLOUD_ENDPOINT\\fR',
        'Region and DescribeScans endpoint when no option or profile sets them.',
        '.TP', '\\fBPAGER\\fR',
        'The pager for long results on a terminal (default: less \\-FRXK).',
        '.TP', '\\fBNO_COLOR\\fR',
        'No colour in tables.',
        '.TP', '\\fBXDG_STATE_HOME\\fR',
        'Where the history lives (default ~/.local/state).',
        '.SH FILES',
        '.TP', '~/.local/state/scansh/history', 'The shell\'s history, mode 0600.',
        '.TP', '~/.aliyun/config.json', 'aliyun\\-cli profiles (\\fB\\-\\-profile\\fR, \\fBuse\\fR).',
        '.TP', '~/.alibabacloud/credentials', 'The SDKs\' credentials file.',
        '.SH EXAMPLES',
        '.nf', '.RS 4',
        "scansh \\-c 'scans where status = running | sort RunPercent desc | first 10'",
        "scansh \\-\\-demo \\-\\-profile demo,demo\\-dev \\-c 'scans | group account, status'",
        'scansh ci\\-gate.scansh',
        '.RE', '.fi',
    ]
    sys.stdout.write('\n'.join(page) + '\n')


main()
