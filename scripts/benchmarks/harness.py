"""scripts/bench's measurements: alternating runs of scansh and its anchors, compared as ratios."""
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, '.build-bench')
# The binaries the release tarball packs: the Swift runtime linked in (scripts/lib/build-static.sh).
SCANSH = os.path.join(ROOT, '.build-release', 'release', 'scansh')
BENCH = os.path.join(ROOT, '.build-release', 'release', 'scansh-bench')
VENV_PYTHON = os.path.join(WORK, 'venv', 'bin', 'python')
QUICK = '--quick' in sys.argv
ROUNDS = 2 if QUICK else 5
ENV = dict(os.environ, HOME=WORK, TZ='UTC', NO_COLOR='1',
           ALIBABA_CLOUD_ACCESS_KEY_ID='testid', ALIBABA_CLOUD_ACCESS_KEY_SECRET='testsecret')
for name in ('ALIBABA_CLOUD_PROFILE', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'http_proxy', 'https_proxy'):
    ENV.pop(name, None)


def run(command, stdout=subprocess.DEVNULL, stdin=None):
    """Runs a command; returns (wall seconds, cpu seconds, peak RSS in MiB, exit status)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL, env=ENV, shell=isinstance(command, str))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def alternate(commands, rounds=ROUNDS):
    """Median wall time of each command, run in alternation so machine noise hits all alike."""
    times = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            wall, _, _, status = run(command)
            if status != 0:
                raise SystemExit(f'{name} failed with exit {status}: {command}')
            times[name].append(wall)
    return {name: statistics.median(values) for name, values in times.items()}


class Server:
    """A server process that prints `listening on http://127.0.0.1:PORT` first; killed by stop()."""

    def __init__(self, command, **options):
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, **options)
        line = self.process.stdout.readline().strip()
        assert line.startswith('listening on http://127.0.0.1:'), line
        self.port = int(line.rsplit(':', 1)[1])
        self.endpoint = f'http://127.0.0.1:{self.port}/'

    def stop(self):
        self.process.kill()
        self.process.wait()


class Simulator(Server):
    def __init__(self, *arguments):
        super().__init__([SCANSH, 'sim', '--port', '0', *arguments], stderr=subprocess.DEVNULL, env=ENV)

    def stats(self):
        with urllib.request.urlopen(f'http://127.0.0.1:{self.port}/_sim/stats') as response:
            return json.load(response)


def scans_file(name, count, seed):
    """WORK/NAME-COUNT.ndjson: COUNT simulated scans, written once and kept between runs."""
    path = os.path.join(WORK, f'{name}-{count}.ndjson')
    if not os.path.exists(path):
        subprocess.run([SCANSH, 'sim', '--scans', str(count), '--seed', str(seed), '--epoch', '2026-11-02T09:00:00Z',
                        '--dump', path], check=True, env=ENV)
    return path


rows = []


def findings_file(count):
    """WORK/findings-COUNT.ndjson: COUNT findings shaped as DescribeAllVulnerabilities lists them,
    drawn from a fixed seed (mostly low and info, a few important), written once and kept."""
    path = os.path.join(WORK, f'findings-{count}.ndjson')
    if os.path.exists(path):
        return path
    import random
    rng = random.Random(21)
    names = [('Missing X-Frame-Options header', 18, 0), ('Server version disclosure', 12, 0),
             ('Cookie without Secure flag', 27, 1), ('TLS 1.0 enabled', 8, 1), ('Reflected cross-site scripting', 5, 2),
             ('SQL injection', 16, 3)]
    with open(path + '.tmp', 'w') as file:
        for number in range(count):
            name, vul_type, severity = rng.choices(names, weights=[12, 12, 9, 8, 5, 2])[0]
            host = f"{rng.choice(['shop', 'api', 'pay', 'mail'])}.example.com"
            file.write(json.dumps({
                'Id': 10_000_000 + number, 'Name': name, 'Severity': severity, 'Status': rng.choice([0, 0, 0, 1, 3]),
                'Target': f'https://{host}/', 'Hostname': host, 'LastDiscoveredAt': 1793610000000 - number * 1000,
                'TaskId': 5_000_000 + number // 10, 'VulnerabilityTypeDes': 'web',
            }, separators=(',', ':')) + '\n')
    os.rename(path + '.tmp', path)
    return path


def against_floor(label, server, statement, floor, target):
    """One statement through `server`, its median wall time against a computed round-trip floor."""
    try:
        medians = alternate({'scansh': [SCANSH, '--endpoint', server.endpoint, '-c', statement, '--format', 'ndjson']})
    finally:
        server.stop()
    ratio = medians['scansh'] / floor
    report(label, f"{medians['scansh']:.3f} s", f'8-way floor {floor:.3f} s', f'{ratio:.2f}× floor',
           f'≤ {target}× floor', ratio <= target)


def findings_listing():
    """Findings paged as scans are: the same floor."""
    count = 2000 if QUICK else 10000
    against_floor(f'findings listing ({count}, 25 ms, pages of 50)', PageServer(count, 25, 50, path=findings_file(count)),
                  'findings', floor_seconds(count, 50, 0.025), 1.2)


def related_listing():
    """`scans | findings` over 200 tasks: one child listing per task, 8 at a time, against the floor
    of the same requests from a bare 8-way client (the scans' pages, then 200 listings 8 at once)."""
    against_floor('scans | findings (200 tasks, 25 ms)', PageServer(200, 25, 50, children=10), 'scans | findings',
                  floor_seconds(200, 50, 0.025) + math.ceil(200 / 8) * 0.025, 1.3)


def details_listing():
    """`findings | first 500 | details`: 10 pages, then 500 DescribeVulnerability calls 8 at a time."""
    against_floor('findings | first 500 | details (25 ms)', PageServer(10000, 25, 50, path=findings_file(10000)),
                  'findings | first 500 | details', floor_seconds(500, 50, 0.025) + math.ceil(500 / 8) * 0.025, 1.3)


def findings_scale():
    """A million saved findings: `where` + `count` in bounded memory."""
    count = 100000 if QUICK else 1000000
    path = findings_file(count)
    wall, _, rss, status = run([SCANSH, '-c', f'load {path} | where severity >= moderate | count'])
    report(f'findings where + count ({count})', f'{rss:.1f} MiB peak RSS', '-', f'{wall:.2f} s', '≤ 64 MiB',
           status == 0 and rss <= 64)


def report(figure, ours, anchor, ratio, target, met):
    """One row of the table; `met` None for a figure shown beside another, with no goal of its own."""
    rows.append((figure, ours, anchor, ratio, target, '-' if met is None else 'yes' if met else 'NO'))


class PageServer(Server):
    """scripts/benchmarks/page_server.py: an independent listing server, cheap on CPU, so the
    time above the round-trip floor is the client's. `path` replaces the scans it pages through;
    `children` gives each relation's child listing that many findings."""

    def __init__(self, scans, latency_ms, max_page_size, path=None, children=0):
        path = path or scans_file('pages', scans, 1)
        extra = [findings_file(children), str(children)] if children else []
        super().__init__([sys.executable, os.path.join(ROOT, 'scripts', 'benchmarks', 'page_server.py'), path,
                          str(latency_ms), str(max_page_size), *extra])


def floor_seconds(scans, page_size, latency, window=8):
    """Page 1 alone (it tells how many pages there are), then the rest `window` at a time."""
    pages = math.ceil(scans / page_size)
    return (1 + math.ceil((pages - 1) / window)) * latency


def full_listing():
    scans = 2000 if QUICK else 10000
    server = PageServer(scans, 25, 50)
    try:
        medians = alternate({
            'scansh': [SCANSH, '--endpoint', server.endpoint, '-c', 'scans', '--format', 'ndjson'],
            'sdk': [VENV_PYTHON, os.path.join(ROOT, 'scripts', 'benchmarks', 'sdk_list.py'), f'127.0.0.1:{server.port}', '50'],
        })
    finally:
        server.stop()
    floor = floor_seconds(scans, 50, 0.025)
    ratio = medians['scansh'] / floor
    report(f'full listing ({scans} scans, 25 ms, pages of 50)', f"{medians['scansh']:.3f} s",
           f"8-way floor {floor:.3f} s", f'{ratio:.2f}× floor', '≤ 1.1× floor', ratio <= 1.1)
    report('  the same, official SDK pager', f"{medians['sdk']:.3f} s", f"scansh {medians['scansh']:.3f} s",
           f"scansh {medians['scansh'] / medians['sdk']:.3f}× SDK", '-', None)


def several_accounts():
    """Three accounts of 10,000 scans each against one: read concurrently, the three should take
    about as long as one. Both against the independent page server, which answers any key."""
    scans = 2000 if QUICK else 10000
    server = PageServer(scans, 25, 50)
    os.makedirs(os.path.join(WORK, '.aliyun'), exist_ok=True)
    config = os.path.join(WORK, '.aliyun', 'config.json')
    with open(config, 'w') as file:
        json.dump({'current': 'a', 'profiles': [
            {'name': name, 'mode': 'AK', 'access_key_id': key, 'access_key_secret': secret}
            for name, key, secret in [('a', 'testid', 'testsecret'), ('b', 'testid2', 'testsecret2'),
                                      ('c', 'testid3', 'testsecret3')]]}, file)
    os.chmod(config, 0o600)
    try:
        medians = alternate({
            'three': [SCANSH, '--endpoint', server.endpoint, '--profile', 'a,b,c', '-c', 'scans', '--format', 'ndjson'],
            'one': [SCANSH, '--endpoint', server.endpoint, '--profile', 'a', '-c', 'scans', '--format', 'ndjson'],
        })
    finally:
        server.stop()
        os.remove(config)
    ratio = medians['three'] / medians['one']
    report(f'three accounts ({scans} scans each, 25 ms, pages of 50)', f"{medians['three']:.3f} s",
           f"one account {medians['one']:.3f} s", f'{ratio:.2f}× one account', '≤ 1.1× one account', ratio <= 1.1)


def big_file(count):
    return scans_file('scans', count, 7)


def evaluation():
    count = 20000 if QUICK else 200000
    path = big_file(count)
    query = ('load ' + path + ' | where status = running and RunPercent > 50 | sort RunPercent desc, ScanId'
             ' | first 10 | select ScanId, RunPercent')
    ours = f"{SCANSH} -c '{query}' --format ndjson"
    duckdb = f"{VENV_PYTHON} {os.path.join(ROOT, 'scripts', 'benchmarks', 'duckdb_query.py')} {path}"
    jq = (f"jq -c 'select(.Status == \"running\" and .RunPercent > 50)' {path}"
          " | jq -s -c 'sort_by(-.RunPercent, .ScanId) | .[:10] | .[] | {ScanId, RunPercent}'")
    outputs = [subprocess.run(command, shell=True, capture_output=True, text=True, env=ENV).stdout
               for command in (ours, duckdb, jq)]
    same = outputs[0] == outputs[1] == outputs[2] and outputs[0].count('\n') == 10
    medians = alternate({'scansh': ours, 'duckdb': duckdb, 'jq': jq})
    ratio = medians['scansh'] / medians['duckdb']
    size = os.path.getsize(path) / 1e6
    report(f'filter + sort + top 10 ({count} scans, {size:.0f} MB)', f"{medians['scansh']:.3f} s",
           f"DuckDB {medians['duckdb']:.3f} s", f'{ratio:.3f}× DuckDB' + ('' if same else ' (rows DIFFER)'),
           '≤ 1× DuckDB, identical rows', ratio <= 1 and same)
    report('  the same, jq', f"{medians['scansh']:.3f} s", f"jq {medians['jq']:.3f} s",
           f"{medians['scansh'] / medians['jq']:.3f}× jq", '-', None)


def scale():
    """A million scans (about 500 MB) streamed: memory stays bounded whatever the file's size."""
    count = 100000 if QUICK else 1000000
    path = big_file(count)
    for label, statement, output in (
            ('where + count', f'load {path} | where status = running | count', 'ndjson'),
            ('where + select', f'load {path} | where status = running | select ScanId, Name, RunPercent', 'ndjson'),
            ('sort + first 10', f'load {path} | sort RunPercent desc, ScanId | first 10', 'ndjson')):
        wall, _, rss, status = run([SCANSH, '-c', statement, '--format', output])
        report(f'{label} ({count} scans)', f'{rss:.1f} MiB peak RSS', '-', f'{wall:.2f} s', '≤ 64 MiB',
               status == 0 and rss <= 64)


def startup():
    """Start-up against a Foundation "hello" built with swiftc -O, both run by hyperfine in one go."""
    hello = os.path.join(WORK, 'hello')
    source = os.path.join(ROOT, 'scripts', 'benchmarks', 'hello.swift')
    if not os.path.exists(hello) or os.path.getmtime(hello) < os.path.getmtime(source):
        subprocess.run(['swiftc', '-O', source, '-o', hello], check=True)
    # hyperfine runs each command's runs back to back; several short rounds spread the machine's
    # moods over all three, and the median is taken over every run of every round.
    export = os.path.join(WORK, 'hyperfine.json')
    times = [[], [], []]
    for _ in range(2 if QUICK else 8):
        subprocess.run(['hyperfine', '-N', '--warmup', '3', '--runs', '15', '--style', 'none',
                        '--export-json', export, hello, f'{SCANSH} --version', f'{SCANSH} -c help'],
                       check=True, env=ENV, stdout=subprocess.DEVNULL)
        with open(export) as file:
            for index, result in enumerate(json.load(file)['results']):
                times[index] += result['times']
    medians = [statistics.median(values) for values in times]
    # The network issue's goal: faster than a hello world that only imports Foundation.
    for label, median, goal in (('start-up: --version', medians[1], 1.0), ("start-up: -c 'help'", medians[2], 1.0)):
        ratio = median / medians[0]
        report(label, f'{median * 1000:.1f} ms', f'hello {medians[0] * 1000:.1f} ms', f'{ratio:.2f}× hello',
               f'≤ {goal}× hello' if goal else '-', ratio <= goal if goal else None)


def wrapper():
    """scripts/scansh against the binary it runs, once that binary is built: the wrapper's own cost."""
    wrapper_path = os.path.join(ROOT, 'scripts', 'scansh')
    binary = os.path.join(ROOT, '.build', 'release', 'scansh')
    subprocess.run([wrapper_path, '--version'], check=True, env=ENV, stdout=subprocess.DEVNULL)
    export = os.path.join(WORK, 'hyperfine-wrapper.json')
    subprocess.run(['hyperfine', '-N', '--warmup', '3', '--runs', '10' if QUICK else '40', '--style', 'none',
                    '--export-json', export, f'{binary} --version', f'{wrapper_path} --version'],
                   check=True, env=ENV, stdout=subprocess.DEVNULL)
    with open(export) as file:
        direct, wrapped = (statistics.median(result['times']) for result in json.load(file)['results'])
    extra = (wrapped - direct) * 1000
    report('wrapper: scripts/scansh --version', f'{wrapped * 1000:.1f} ms', f'binary {direct * 1000:.1f} ms',
           f'+{extra:.1f} ms', '≤ +50 ms', extra <= 50)


def count_requests():
    sim = Simulator('--scans', '10000', '--seed', '1', '--clock-speed', '0')
    try:
        before = sim.stats()['requests']
        result = subprocess.run([SCANSH, '--endpoint', sim.endpoint, '-c', 'scans where status = running | count'],
                                capture_output=True, text=True, env=ENV)
        requests = sim.stats()['requests'] - before
    finally:
        sim.stop()
    report('count (10000 scans)', f'{requests} request(s), count {result.stdout.strip()}', '-', '-', 'exactly 1',
           requests == 1 and result.returncode == 0)


def watch_idle():
    seconds = 6 if QUICK else 20
    sim = Simulator('--scans', '200', '--seed', '1', '--clock-speed', '0')
    try:
        wall, cpu, _, status = run([SCANSH, '--endpoint', sim.endpoint, '-c',
                                    f'scans where status = running | watch 2s for {seconds}s'])
    finally:
        sim.stop()
    share = cpu / wall
    report(f'watch idle (2s for {seconds}s)', f'{cpu * 1000:.0f} ms CPU in {wall:.1f} s', '-', f'{share * 100:.2f} %',
           '≤ 1 % of wall time', status == 0 and share <= 0.01)


def completion():
    result = json.loads(subprocess.run([BENCH, 'completion'], capture_output=True, text=True, check=True).stdout)
    report('completion (10000 known ScanIds)', f"{result['median_ms']:.3f} ms median, {result['p99_ms']:.3f} ms p99",
           '-', '-', '≤ 5 ms per completion', result['p99_ms'] <= 5)


def sdk_cross_check():
    sim = Simulator('--scans', '250', '--seed', '42', '--clock-speed', '0')
    try:
        result = subprocess.run([VENV_PYTHON, os.path.join(ROOT, 'scripts', 'benchmarks', 'sdk_check.py'), str(sim.port)],
                                capture_output=True, text=True, env=ENV)
    finally:
        sim.stop()
    print(result.stdout.strip() or result.stderr.strip().splitlines()[-1])
    if result.returncode != 0:
        raise SystemExit('the official SDK disagrees with the simulator')
    # The typed client reads the SDK's flat shape.
    sim = Simulator('--scans', '250', '--seed', '42', '--clock-speed', '0', '--flat')
    try:
        result = subprocess.run([VENV_PYTHON, os.path.join(ROOT, 'scripts', 'benchmarks', 'sdk_findings_check.py'),
                                 str(sim.port)], capture_output=True, text=True, env=ENV)
    finally:
        sim.stop()
    print(result.stdout.strip() or result.stderr.strip().splitlines()[-1])
    if result.returncode != 0:
        raise SystemExit('the official SDK disagrees with the simulator on runs or findings')


def main():
    only = [argument for argument in sys.argv[1:] if not argument.startswith('--')]
    if only:
        for name in only:
            globals()[name]()
        print_table()
        return
    sdk_cross_check()
    full_listing()
    findings_listing()
    related_listing()
    details_listing()
    several_accounts()
    evaluation()
    scale()
    findings_scale()
    startup()
    wrapper()
    count_requests()
    watch_idle()
    completion()
    print_table()


def print_table():
    widths = [max(len(str(row[i])) for row in rows + [('figure', 'scansh', 'anchor', 'ratio', 'target', 'met')])
              for i in range(6)]
    header = ('figure', 'scansh', 'anchor', 'ratio', 'target', 'met')
    for row in [header] + rows:
        print('  '.join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    if any(row[5] == 'NO' for row in rows):
        sys.exit(1)


main()
