// A page of households reads, in ONE statement and before their fields resolve, what those fields will
// read: members, current housing, the running tenancy with its unit and ledger, the district, the latest
// application, the agency records about the members and the policy parameters a summary measures with.
// Each part primes the loader that would have read it (one statement a kind), so every field then finds
// its value at hand (AtHandLoader.peek, agency.peek) and the loaders stay the one way records are read.
// Only what the page's query asks for is read.
import { and, asc, isNull, sql, type SQL } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { connectors } from '../../connectors/index.js';
import { personAgencyFields } from '../agency/kind-fields.js';
import type { AgencyLoaders } from '../agency/loaders.js';
import { SUMMARY_KINDS, SUMMARY_POLICY } from '../agency/summary.js';
import { byKey, groupByKey } from '../db/batch.js';
import { anyOf, selectRows, type Database, type Db } from '../db/client.js';
import { jsonRows } from '../db/json-rows.js';
import type { Logger } from '../logger.js';
import { applications, currentHousing, districts, housingUnits, persons, rentLedger, tenancies } from '../db/schema.js';
import { parametersFrom, selectParametersInForce, type PolicyCache } from '../policy/service.js';
import { selectedFields } from '../selection.js';
import type { HouseholdRow, RecordLoaders } from './loaders.js';

export interface PageReadContext {
  db: Db;
  database: Pick<Database, 'namedStatements'>;
  loaders: RecordLoaders;
  agency: AgencyLoaders;
  policies: PolicyCache;
  today: string;
  log: Logger;
}

/** fields of Household that read the current members */
const READ_MEMBERS = ['members', 'head', 'currentHousing', 'agencySummary', 'qualification'];
/** fields of Tenancy that read its ledger */
const READ_LEDGER = ['arrears', 'rentLedger'];
const AGENCY_FIELDS = personAgencyFields(connectors);

const rows = {
  district: jsonRows(districts),
  person: jsonRows(persons),
  housing: jsonRows(currentHousing),
  tenancy: jsonRows(tenancies),
  unit: jsonRows(housingUnits),
  ledger: jsonRows(rentLedger),
  application: jsonRows(applications),
};

/** one part of the statement: a JSON value, and what to do with it */
interface Part {
  select: SQL;
  settle(value: unknown): void;
}

/** Reads ahead for the households of a page (`info`: the list field, its objects under `nodes`). Never fails: a field meets its own error. */
export async function readAhead(ctx: PageReadContext, households: readonly HouseholdRow[], info: GraphQLResolveInfo): Promise<void> {
  if (!households.length) return;
  const { loaders, agency, today } = ctx;
  const fields = selectedFields(info, 'nodes');
  const asks = (...names: string[]) => names.some((n) => fields.has(n));
  const ids = households.map((h) => h.id);
  // the page's ids, sent once (an array expression, not a subquery: `= any(subquery)` would compare with the array itself)
  const page = sql`(select ids from page)::int[]`;
  const active = and(sql`${tenancies.householdId} = any(${page})`, isNull(tenancies.endDate))!;
  const activeTenancies = sql`(select ${tenancies.id} from ${tenancies} where ${active})`;
  const parts: Part[] = [];
  const part = (select: SQL, settle: (value: unknown) => void) => parts.push({ select, settle });

  if (asks('district')) {
    const keys = [...new Set(households.map((h) => h.districtId))];
    part(rows.district.select(anyOf(districts.id, keys)), (v) =>
      primeAll(
        loaders.district,
        keys,
        byKey(keys, rows.district.build(v), (r) => r.id),
      ),
    );
  }
  let members: string[] | undefined;
  if (asks(...READ_MEMBERS)) {
    part(rows.person.select(and(sql`${persons.householdId} = any(${page})`, isNull(persons.leftOn))!, asc(persons.id)), (v) => {
      const people = rows.person.build(v);
      members = people.map((p) => p.residentId);
      primeAll(
        loaders.membersByHousehold,
        ids,
        groupByKey(ids, people, (r) => r.householdId),
      );
    });
  } else if (asks('size')) {
    part(
      sql`(select json_agg(json_build_array(h, n)) from (select ${persons.householdId} as h, count(*)::int as n from ${persons}
        where ${persons.householdId} = any(${page}) and ${persons.leftOn} is null group by 1) c)`,
      (v) => {
        const counts = byKey(ids, (v ?? []) as [number, number][], (r) => r[0]);
        primeAll(
          loaders.memberCountByHousehold,
          ids,
          counts.map((c) => c?.[1] ?? 0),
        );
      },
    );
  }
  // the facts a summary or verdict measures include the housing
  if (asks('currentHousing', 'agencySummary', 'qualification')) {
    part(rows.housing.select(sql`${currentHousing.householdId} = any(${page})`), (v) =>
      primeAll(
        loaders.currentHousing,
        ids,
        byKey(ids, rows.housing.build(v), (r) => r.householdId),
      ),
    );
  }
  if (asks('tenancy', 'unit')) {
    let running: number[] = [];
    part(rows.tenancy.select(active), (v) => {
      const found = rows.tenancy.build(v);
      running = found.map((t) => t.id);
      primeAll(
        loaders.activeTenancyByHousehold,
        ids,
        byKey(ids, found, (r) => r.householdId),
      );
    });
    if (asks('unit')) {
      part(rows.unit.select(sql`${housingUnits.id} in (select ${tenancies.unitId} from ${tenancies} where ${active})`), (v) => {
        for (const unit of rows.unit.build(v)) loaders.unit.prime(unit.id, unit);
      });
    }
    if (READ_LEDGER.some((n) => selectedFields(info, ['nodes', 'tenancy']).has(n))) {
      part(rows.ledger.select(sql`${rentLedger.tenancyId} in ${activeTenancies}`, asc(rentLedger.month)), (v) =>
        primeAll(
          loaders.ledgerByTenancy,
          running,
          groupByKey(running, rows.ledger.build(v), (r) => r.tenancyId),
        ),
      );
    }
  }
  if (asks('application')) {
    const latest = sql`(select distinct on (${applications.householdId}) ${applications.id} from ${applications}
      where ${applications.householdId} = any(${page}) order by ${applications.householdId}, ${applications.id} desc)`;
    part(rows.application.select(sql`${applications.id} in ${latest}`), (v) =>
      primeAll(
        loaders.applicationByHousehold,
        ids,
        byKey(ids, rows.application.build(v), (r) => r.householdId),
      ),
    );
  }
  // agency records about the members: every kind for the members' own agency fields, the summary's kinds for it
  const memberAgencyFields = fields.has('members') && [...selectedFields(info, ['nodes', 'members'])].some((n) => AGENCY_FIELDS.has(n));
  if (memberAgencyFields || asks('agencySummary')) {
    // after the members' part: settled once the members are known
    const planned = agency.planned(sql`(select s from people)`, memberAgencyFields ? undefined : SUMMARY_KINDS, asks('agencySummary'));
    part(planned.select, (v) => planned.settle(v, members ?? [], today));
  }
  if (asks('agencySummary')) {
    part(selectParametersInForce(SUMMARY_POLICY, today), (v) => ctx.policies.prime(SUMMARY_POLICY, today, parametersFrom(v)));
  }
  if (!parts.length) return;

  try {
    const [row] = await selectRows<{ r: unknown[] }>(
      ctx.db,
      sql`with page as (select ${sql.param(ids)}::int[] as ids),
        people as (select ${persons.residentId}::text as s from ${persons} where ${persons.householdId} = any(${page}) and ${persons.leftOn} is null)
        select json_build_array(${sql.join(
          parts.map((p) => p.select),
          sql`, `,
        )}) as r`,
      // the same few statements page after page, with other ids: planned once per connection
      ctx.database.namedStatements,
    );
    parts.forEach((p, i) => p.settle(row!.r[i]));
  } catch (error) {
    // each field reads for itself through its loader, and meets the error there
    ctx.log.warn({ err: error }, 'page read ahead failed; its fields read for themselves');
  }
}

function primeAll<K, V>(loader: { prime(key: K, value: V): unknown }, keys: readonly K[], values: readonly V[]) {
  keys.forEach((key, i) => loader.prime(key, values[i]!));
}
