"""Cross-checks the simulator's runs, findings, details and reports with the official Python SDK's
typed client (alibabacloud-avds20171129): its four calls succeed against `scansh sim --flat` and
what they read agrees with itself. Run by scripts/bench."""
import sys

from alibabacloud_avds20171129 import models
from alibabacloud_avds20171129.client import Client
from alibabacloud_tea_openapi import models as open_api_models

port = sys.argv[1]
client = Client(open_api_models.Config(access_key_id='testid', access_key_secret='testsecret',
                                       endpoint=f'127.0.0.1:{port}', protocol='http'))
failures = []

runs = client.describe_scan_sessions(models.DescribeScanSessionsRequest(page_size=100, status_list=['finished'])).body
if not runs.total_count or not runs.list or any(run.job_status != 'finished' for run in runs.list):
    failures.append(f'DescribeScanSessions: {runs.total_count} runs, statuses {set(r.job_status for r in runs.list or [])}')
scan_id = runs.list[0].scan_id if runs.list else ''
of_task = client.describe_scan_sessions(models.DescribeScanSessionsRequest(page_size=100, scan_id=scan_id)).body
if any(run.scan_id != scan_id for run in of_task.list or []):
    failures.append('DescribeScanSessions ScanId filter returned runs of other tasks')

important = client.describe_all_vulnerabilities(models.DescribeAllVulnerabilitiesRequest(page_size=50, severity=3)).body
if not important.total_count or any(finding.severity != 3 for finding in important.list):
    failures.append(f'DescribeAllVulnerabilities Severity=3: {important.total_count} findings')
everything = client.describe_all_vulnerabilities(models.DescribeAllVulnerabilitiesRequest(page_size=100)).body
if everything.total_count <= important.total_count:
    failures.append('DescribeAllVulnerabilities: an unfiltered listing is not larger than Severity=3 alone')

first = important.list[0] if important.list else None
if first:
    detail = client.describe_vulnerability(models.DescribeVulnerabilityRequest(id=first.id)).body
    if detail.id != first.id or not detail.description or not detail.solution or not detail.data:
        failures.append(f'DescribeVulnerability {first.id}: id {detail.id}, solution {detail.solution}')

report = client.generate_vul_report(models.GenerateVulReportRequest(task_ids=[runs.list[0].task_id])).body
if not report.request_id:
    failures.append('GenerateVulReport: no RequestId')

print('SDK cross-check (runs, findings, details, reports): ' + ('ok' if not failures else '; '.join(failures)))
sys.exit(1 if failures else 0)
