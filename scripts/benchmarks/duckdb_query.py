"""The evaluation figure's anchor: DuckDB answering the same query over the same ndjson file, its
columns declared (no schema sniffing), printing the rows as `scansh --format ndjson` does.

    python duckdb_query.py SCANS.ndjson
"""
import json
import sys

import duckdb

rows = duckdb.sql(
    "SELECT ScanId, RunPercent FROM read_json(?, format = 'newline_delimited', "
    "columns = {'ScanId': 'VARCHAR', 'Status': 'VARCHAR', 'RunPercent': 'DOUBLE'}) "
    "WHERE Status = 'running' AND RunPercent > 50 ORDER BY RunPercent DESC, ScanId LIMIT 10",
    params=[sys.argv[1]]).fetchall()
for scan_id, percent in rows:
    value = int(percent) if percent == int(percent) else percent
    print(json.dumps({'ScanId': scan_id, 'RunPercent': value}, separators=(',', ':')))
