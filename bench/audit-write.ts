// A page's audit entries written two ways side by side in one run, on a database the hub has migrated (e.g. the
// side-by-side bench's, --db): the INSERT sent as text (planned each time) and audit_write (drizzle/0014, PL/pgSQL
// keeps the plan). The caseworker page's shape: 20 VIEW entries and 56 READ entries whose households are found from
// their subjects. Prints ms per write (wall) and the PostgreSQL backend's CPU per write; rolls everything back.
// Usage: npx tsx bench/audit-write.ts --db postgres://postgres@127.0.0.1:5432/bench10k [--writes 400]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { db: { type: 'string' }, writes: { type: 'string', default: '400' } } });
if (!values.db) throw new Error('--db postgres://… (a database the hub has migrated, with people in it)');
const writes = Number(values.writes);
const client = new pg.Client({ connectionString: values.db });
await client.connect();
const persons = (await client.query<{ resident_id: string }>('select resident_id from persons order by id limit 56')).rows.map((r) => r.resident_id);
const households = (await client.query<{ id: number }>('select id from households order by id limit 20')).rows.map((r) => r.id);
const entries = JSON.stringify([
  ...households.map((id) => ({
    action: 'VIEW',
    household_id: id,
    subject: null,
    agencies: null,
    purpose: null,
    detail: { fields: ['Person.name'] },
    unit: false,
  })),
  ...persons.map((p) => ({
    action: 'READ',
    household_id: null,
    subject: p,
    agencies: ['civil-affairs', 'real-estate'],
    purpose: null,
    detail: null,
    unit: false,
  })),
]);
// the statement src/auth/audit.ts sent before audit_write
const asText = `insert into audit_log (request_id, actor, role, action, household_id, subject, agencies, purpose, detail)
  select $1, $2, $3, e.action,
         coalesce(e.household_id,
                  case when e.unit then (select t.household_id from tenancies t where t.unit_id = e.subject::integer and t.end_date is null limit 1)
                       else (select p.household_id from persons p where p.resident_id = e.subject
                             order by p.left_on is null desc, p.id desc limit 1) end),
         e.subject, e.agencies, e.purpose, e.detail
  from jsonb_to_recordset($4::jsonb)
    as e(action text, household_id integer, subject text, agencies jsonb, purpose text, detail jsonb, unit boolean)`;
const asFunction = 'select audit_write($1, $2, $3, $4::jsonb)';
const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
const cpuMs = () => {
  const fields = readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const results: Record<string, { wallMs: number; postgresCpuMs: number }[]> = { text: [], function: [] };
await client.query('begin');
try {
  // two rounds, alternating, so both meet the same table and cache; the first round warms up
  for (let round = 0; round < 2; round++) {
    for (const [name, statement] of [
      ['text', asText],
      ['function', asFunction],
    ] as const) {
      const cpu0 = cpuMs();
      const t0 = performance.now();
      for (let i = 0; i < writes; i++) await client.query(statement, [`bench-${round}-${i}`, 'bench', 'MANAGER', entries]);
      results[name]!.push({ wallMs: +((performance.now() - t0) / writes).toFixed(3), postgresCpuMs: +((cpuMs() - cpu0) / writes).toFixed(3) });
    }
  }
} finally {
  await client.query('rollback');
  await client.end();
}
console.log(JSON.stringify({ entries: households.length + persons.length, writes, perWrite: results }));
