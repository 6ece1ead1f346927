// Every agency kind shown on Person, fed through its agency's feed mutation with its example record
// and read back through its generated field: what a new kind gets without a test of its own.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '../connectors/index.js';
import { agencyTypeName, feedMutationName, recordColumns } from '../src/agency/sdl.js';
import { selectRows } from '../src/db/client.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

const AS_OF = '2026-11-01';
const shown = Object.values(connectors).flatMap((c) =>
  Object.entries(c.kinds).flatMap(([name, kind]) =>
    kind.graphql && kind.subject.type === 'person' ? [{ agency: c.agency, name, kind, graphql: kind.graphql }] : [],
  ),
);

describe('agency kinds through the API', () => {
  let t: TestHub;
  let residentId: string;
  let another: string;
  beforeAll(async () => {
    t = await startTestHub({ households: 2 });
    const [person, other] = await selectRows<{ resident_id: string }>(t.database.db, sql`select resident_id from persons order by id limit 2`);
    residentId = person!.resident_id;
    another = other!.resident_id;
  });
  const fieldsOf = (kind: (typeof shown)[number]['kind']) =>
    recordColumns(kind)
      .map(([p]) => p)
      .filter((p) => p !== kind.subject.field);
  afterAll(async () => {
    await t?.close();
  });

  it.each(shown)('$agency/$name: fed with its example, read back on Person.$graphql.field', async ({ agency, name, kind, graphql }) => {
    const record = { ...kind.example, [kind.subject.field]: residentId };
    const fed = await t.gql(
      `mutation($records: ${agencyTypeName(agency)}Records!) { ${feedMutationName(agency)}(batchKey: "kinds-${name}", asOf: "${AS_OF}", records: $records) { status accepted errors { field reason } } }`,
      { records: { [name]: [record] } },
    );
    expect(fed.body.errors).toBeUndefined();
    expect(fed.body.data[feedMutationName(agency)]).toEqual({ status: 'ACCEPTED', accepted: 1, errors: [] });

    const fields = fieldsOf(kind);
    const read = await t.gql(`query($id: String!) { person(residentId: $id) { ${graphql.field} { ${fields.join(' ')} asOf source } } }`, { id: residentId });
    expect(read.body.errors).toBeUndefined();
    const stored = kind.schema.parse(record);
    const expected = { ...Object.fromEntries(fields.map((f) => [f, stored[f]])), asOf: kind.asOf(stored, AS_OF), source: 'FEED' };
    const value = read.body.data.person[graphql.field];
    expect(value).toEqual(graphql.cardinality === 'one' ? expected : [expected]);
  });

  it.each(shown)('$agency/$name: fed as a file to POST /feeds/$agency/$name, read back', async ({ agency, name, kind, graphql }) => {
    const record = { ...kind.example, [kind.subject.field]: another };
    const res = await fetch(t.url.replace('/graphql', `/feeds/${agency}/${name}?batchKey=kinds-file-${name}&asOf=${AS_OF}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: await t.adminAuth() },
      body: JSON.stringify(record),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ACCEPTED', accepted: 1 });
    const read = await t.gql(`query($id: String!) { person(residentId: $id) { ${graphql.field} { ${fieldsOf(kind)[0]} } } }`, { id: another });
    const value = read.body.data.person[graphql.field];
    expect(graphql.cardinality === 'one' ? value : value[0]).toEqual({ [fieldsOf(kind)[0]!]: kind.schema.parse(record)[fieldsOf(kind)[0]!] });
  });
});
