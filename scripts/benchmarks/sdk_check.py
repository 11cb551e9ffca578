"""Cross-checks the simulator with an independent client, the official Python SDK: listings,
filters, paging and error codes must look right from its side too. Run by scripts/bench."""
import sys

from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi.client import Client
from alibabacloud_tea_util import models as util_models

port = sys.argv[1]
runtime = util_models.RuntimeOptions()


def call(body, secret='testsecret', key='testid'):
    client = Client(open_api_models.Config(access_key_id=key, access_key_secret=secret,
                                           endpoint=f'127.0.0.1:{port}', protocol='http'))
    request = open_api_models.OpenApiRequest(body=body)
    return client.do_rpcrequest('DescribeScans', '2017-11-29', 'HTTPS', 'POST', 'AK', 'json', request, runtime)['body']


def error_code(**kwargs):
    try:
        call({}, **kwargs)
    except Exception as error:  # the SDK raises TeaException with the API's code
        return getattr(error, 'code', str(error))
    return 'no error'


failures = []
everything = []
page = 1
while True:
    data = call({'CurrentPage': page, 'PageSize': 100})['data']
    everything += data['List']
    if not data['List']:
        break
    page += 1
if len({scan['ScanId'] for scan in everything}) != data['TotalCount']:
    failures.append(f"listing: {len(everything)} scans, TotalCount {data['TotalCount']}")
running = call({'PageSize': 100, 'StatusList.1': 'running', 'StatusList.2': 'waiting'})['data']
expected = [s['ScanId'] for s in everything if s['Status'] in ('running', 'waiting')][:100]
if [s['ScanId'] for s in running['List']] != expected:
    failures.append('StatusList filter differs from filtering the full listing')
search = call({'PageSize': 100, 'Search': 'SHOP.example'})['data']
expected = [s['ScanId'] for s in everything
            if 'shop.example' in s['Name'].lower() or any('shop.example' in t.lower() for t in s.get('Targets', []))][:100]
if [s['ScanId'] for s in search['List']] != expected:
    failures.append('Search differs from a case-insensitive substring of Name or a target')
for name, code in (('wrong secret', error_code(secret='wrong')), ('unknown key', error_code(key='nobody'))):
    want = 'SignatureDoesNotMatch' if name == 'wrong secret' else 'InvalidAccessKeyId.NotFound'
    if code != want:
        failures.append(f'{name}: {code}, expected {want}')
print('SDK cross-check: ' + ('ok' if not failures else '; '.join(failures)))
sys.exit(1 if failures else 0)
