"""The anchor for the full-listing figure: the official Python SDK paging one page after another,
as aliyun-cli's --pager does. Prints one JSON object per scan, like `scansh --format ndjson`."""
import json
import sys

from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi.client import Client
from alibabacloud_tea_util import models as util_models

endpoint, page_size = sys.argv[1], int(sys.argv[2])
client = Client(open_api_models.Config(access_key_id='testid', access_key_secret='testsecret',
                                       endpoint=endpoint, protocol='http'))
runtime = util_models.RuntimeOptions()
out = sys.stdout
page, seen = 1, 0
while True:
    request = open_api_models.OpenApiRequest(body={'CurrentPage': page, 'PageSize': page_size})
    body = client.do_rpcrequest('DescribeScans', '2017-11-29', 'HTTPS', 'POST', 'AK', 'json', request, runtime)['body']
    data = body.get('data', body)
    for scan in data['List']:
        out.write(json.dumps(scan, ensure_ascii=False, separators=(',', ':')) + '\n')
    seen += len(data['List'])
    if not data['List'] or seen >= data['TotalCount']:
        break
    page += 1
