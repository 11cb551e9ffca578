"""An independent DescribeScans server for the paging figures: it knows nothing of scansh's
simulator, answers every page after a fixed latency, and spends as little CPU as it can, so the
time above the round-trip floor is the client's.

    python3 page_server.py ROWS.ndjson LATENCY_MS MAX_PAGE_SIZE [CHILDREN.ndjson PER_PARENT]

ROWS are what every listing pages through (scans, or findings). With CHILDREN, a
DescribeAllVulnerabilities call that names a ScanId or TaskId (a relation's child listing) gets the
first PER_PARENT of them instead, and DescribeVulnerability a finding with its details. Prints `listening on http://127.0.0.1:PORT`. Pages are the file's scans in order, in the SDK's flat
JSON envelope, each rendered the first time it is asked for, at most MAX_PAGE_SIZE scans. Parameters come from the query
string or a form body (GET or POST); signatures are not checked.
"""
import asyncio
import json
import sys
from urllib.parse import parse_qs, urlsplit

PATH, LATENCY, MAX_PAGE_SIZE = sys.argv[1], int(sys.argv[2]) / 1000, int(sys.argv[3])
with open(PATH, 'rb') as file:
    SCANS = [line.strip() for line in file if line.strip()]
CHILDREN = []
if len(sys.argv) > 5:
    with open(sys.argv[4], 'rb') as file:
        CHILDREN = [line.strip() for line in file if line.strip()][:int(sys.argv[5])]
PAGES = {}
DETAIL = (b'{"RequestId":"bench","Success":true,"Vulnerability":{"Id":%s,"Description":"A request parameter reaches '
          b'an SQL query unescaped.","Solution":"Use parameterised queries.","Cwe":"CWE-89",'
          b'"Data":"{\\"request\\":\\"GET /item?id=1 HTTP/1.1\\"}"}}')


def page(rows, number, size, kind='rows'):
    key = (kind, number, size)
    if key not in PAGES:
        items = rows[(number - 1) * size:number * size]
        head = json.dumps({'RequestId': f'bench-{number}', 'TotalCount': len(rows), 'PageSize': size,
                           'CurrentPage': number})[:-1].encode()
        PAGES[key] = head + b',"List":[' + b','.join(items) + b']}'
    return PAGES[key]


def answer(parameters):
    number = int(parameters.get('CurrentPage', ['1'])[0])
    size = min(int(parameters.get('PageSize', ['10'])[0]), MAX_PAGE_SIZE)
    action = parameters.get('Action', [''])[0]
    if action == 'DescribeVulnerability':
        return DETAIL % parameters['Id'][0].encode()
    if CHILDREN and action == 'DescribeAllVulnerabilities' and ('ScanId' in parameters or 'TaskId' in parameters):
        return page(CHILDREN, number, size, 'children')
    return page(SCANS, number, size)


class Connection(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b''
        self.loop = asyncio.get_running_loop()

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b'\r\n\r\n')
            if end < 0:
                return
            head = self.buffer[:end].decode('latin-1')
            lines = head.split('\r\n')
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(':')
                if name.strip().lower() == 'content-length':
                    length = int(value.strip())
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4:end + 4 + length]
            self.buffer = self.buffer[end + 4 + length:]
            target = lines[0].split(' ')[1]
            parameters = parse_qs(urlsplit(target).query)
            parameters.update(parse_qs(body.decode('latin-1')))
            body = answer(parameters)
            # Answers on one connection keep their order: equal delays fire in the order set.
            self.loop.call_later(LATENCY, self.answer, b'HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\n'
                                 b'Content-Length: ' + str(len(body)).encode() + b'\r\n\r\n' + body)

    def answer(self, response):
        if not self.transport.is_closing():
            self.transport.write(response)


async def main():
    server = await asyncio.get_running_loop().create_server(Connection, '127.0.0.1', 0)
    print(f'listening on http://127.0.0.1:{server.sockets[0].getsockname()[1]}', flush=True)
    await server.serve_forever()


asyncio.run(main())
