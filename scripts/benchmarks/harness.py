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
SCANSH = os.path.join(ROOT, '.build', 'release', 'scansh')
BENCH = os.path.join(ROOT, '.build', 'release', 'scansh-bench')
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


class Simulator:
    def __init__(self, *arguments):
        self.process = subprocess.Popen([SCANSH, 'sim', '--port', '0', *arguments], stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=ENV, text=True)
        line = self.process.stdout.readline().strip()
        assert line.startswith('listening on http://127.0.0.1:'), line
        self.port = int(line.rsplit(':', 1)[1])
        self.endpoint = f'http://127.0.0.1:{self.port}/'

    def stats(self):
        with urllib.request.urlopen(f'http://127.0.0.1:{self.port}/_sim/stats') as response:
            return json.load(response)

    def stop(self):
        self.process.kill()
        self.process.wait()


rows = []


def report(figure, ours, anchor, ratio, target, met):
    rows.append((figure, ours, anchor, ratio, target, 'yes' if met else 'NO'))


def full_listing():
    scans = 2000 if QUICK else 10000
    sim = Simulator('--scans', str(scans), '--latency', '25ms', '--max-page-size', '50', '--seed', '1', '--clock-speed', '0')
    try:
        medians = alternate({
            'scansh': [SCANSH, '--endpoint', sim.endpoint, '-c', 'scans', '--format', 'ndjson'],
            'sdk': [VENV_PYTHON, os.path.join(ROOT, 'scripts', 'benchmarks', 'sdk_list.py'), f'127.0.0.1:{sim.port}', '50'],
        })
    finally:
        sim.stop()
    pages = math.ceil(scans / 50)
    floor = (1 + math.ceil((pages - 1) / 8)) * 0.025
    ratio = medians['scansh'] / medians['sdk']
    report(f'full listing ({scans} scans, 25 ms, pages of 50)', f"{medians['scansh']:.3f} s",
           f"SDK {medians['sdk']:.3f} s; floor {floor:.3f} s",
           f'{ratio:.3f}× SDK, {medians["scansh"] / floor:.2f}× floor', '≤ 0.15× SDK and ≤ 1.5× floor',
           ratio <= 0.15 and medians['scansh'] <= 1.5 * floor)


def several_accounts():
    """Three accounts of 10,000 scans each against one: read concurrently, the three should take
    about as long as one."""
    scans = 2000 if QUICK else 10000
    sim = Simulator('--accounts', '3', '--scans', str(scans), '--latency', '25ms', '--max-page-size', '50',
                    '--seed', '1', '--clock-speed', '0')
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
            'three': [SCANSH, '--endpoint', sim.endpoint, '--profile', 'a,b,c', '-c', 'scans', '--format', 'ndjson'],
            'one': [SCANSH, '--endpoint', sim.endpoint, '--profile', 'a', '-c', 'scans', '--format', 'ndjson'],
        })
    finally:
        sim.stop()
        os.remove(config)
    ratio = medians['three'] / medians['one']
    report(f'three accounts ({scans} scans each, 25 ms, pages of 50)', f"{medians['three']:.3f} s",
           f"one account {medians['one']:.3f} s", f'{ratio:.2f}× one account', '≤ 1.2× one account', ratio <= 1.2)


def big_file():
    count = 20000 if QUICK else 200000
    path = os.path.join(WORK, f'scans-{count}.ndjson')
    if not os.path.exists(path):
        subprocess.run([SCANSH, 'sim', '--scans', str(count), '--seed', '7', '--epoch', '2026-11-02T09:00:00Z',
                        '--dump', path], check=True, env=ENV)
    return path, count


def evaluation(path, count):
    query = ('load ' + path + ' | where status = running and RunPercent > 50 | sort RunPercent desc, ScanId'
             ' | first 10 | select ScanId, RunPercent')
    ours = f"{SCANSH} -c '{query}' --format ndjson"
    jq = (f"jq -c 'select(.Status == \"running\" and .RunPercent > 50)' {path}"
          " | jq -s -c 'sort_by(-.RunPercent, .ScanId) | .[:10] | .[] | {ScanId, RunPercent}'")
    same = subprocess.run(ours, shell=True, capture_output=True, text=True, env=ENV).stdout == \
        subprocess.run(jq, shell=True, capture_output=True, text=True, env=ENV).stdout
    medians = alternate({'scansh': ours, 'jq': jq})
    ratio = medians['scansh'] / medians['jq']
    size = os.path.getsize(path) / 1e6
    report(f'evaluation ({count} scans, {size:.0f} MB)', f"{medians['scansh']:.3f} s", f"jq {medians['jq']:.3f} s",
           f'{ratio:.3f}×' + ('' if same else ' (rows DIFFER)'), '≤ 0.25× jq, identical rows', ratio <= 0.25 and same)


def streaming(path, count):
    _, _, rss, status = run([SCANSH, '-c', f'load {path} | where status = running | count'])
    report(f'streaming ({count} scans)', f'{rss:.1f} MiB peak RSS', '-', '-', '≤ 64 MiB', status == 0 and rss <= 64)


def startup():
    for label, command in (('start-up: --version', f'{SCANSH} --version'), ("start-up: -c 'help'", f"{SCANSH} -c help")):
        export = os.path.join(WORK, 'hyperfine.json')
        subprocess.run(['hyperfine', '--warmup', '3', '--runs', '10' if QUICK else '40', '--style', 'none',
                        '--export-json', export, command], check=True, env=ENV, stdout=subprocess.DEVNULL)
        with open(export) as file:
            median = json.load(file)['results'][0]['median']
        report(label, f'{median * 1000:.1f} ms', '-', '-', '≤ 25 ms median', median <= 0.025)


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


def main():
    sdk_cross_check()
    full_listing()
    several_accounts()
    path, count = big_file()
    evaluation(path, count)
    streaming(path, count)
    startup()
    count_requests()
    watch_idle()
    completion()
    widths = [max(len(str(row[i])) for row in rows + [('figure', 'scansh', 'anchor', 'ratio', 'target', 'met')])
              for i in range(6)]
    header = ('figure', 'scansh', 'anchor', 'ratio', 'target', 'met')
    for row in [header] + rows:
        print('  '.join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    if not all(row[5] == 'yes' for row in rows):
        sys.exit(1)


main()
