// `npm run feed -- --agency utilities --kind reading --batch-key 2026-10 readings.ndjson`
// Streams an NDJSON or CSV file to a running hub's bulk feed endpoint and prints its answer.
// The agency's token comes from HUB_TOKEN (a JWT or an API key), never from the command line.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    agency: { type: 'string' },
    kind: { type: 'string' },
    'batch-key': { type: 'string' },
    mode: { type: 'string', default: 'KEEP_VALID' },
    'as-of': { type: 'string' },
    /** the file is every record of the kind the agency holds: keeps "no record" evidence fresh */
    complete: { type: 'boolean', default: false },
    hub: { type: 'string', default: process.env['HUB_URL'] ?? 'http://localhost:4000' },
  },
});
const file = positionals[0];
if (!values.agency || !values.kind || !values['batch-key'] || !file) {
  console.error(
    'usage: npm run feed -- --agency AGENCY --kind KIND --batch-key KEY [--mode KEEP_VALID|ALL_OR_NOTHING] [--as-of YYYY-MM-DD] [--complete] [--hub URL] FILE(.ndjson|.csv)',
  );
  process.exit(2);
}
const url = new URL(`/feeds/${values.agency}/${values.kind}`, values.hub);
url.searchParams.set('batchKey', values['batch-key']);
url.searchParams.set('mode', values.mode!);
if (values['as-of']) url.searchParams.set('asOf', values['as-of']);
if (values.complete) url.searchParams.set('complete', 'true');
const token = process.env['HUB_TOKEN'];
if (!token) {
  console.error("set HUB_TOKEN to the agency's token");
  process.exit(2);
}
const res = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': file.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson', authorization: `Bearer ${token}` },
  body: Readable.toWeb(createReadStream(file)) as ReadableStream,
  duplex: 'half',
} as RequestInit);
console.log(JSON.stringify(await res.json(), null, 2));
process.exit(res.ok ? 0 : 1);
