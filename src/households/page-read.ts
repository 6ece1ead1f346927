// A page of households reads, in the statement that lists them and before their fields resolve, what
// those fields will read: members, current housing, the running tenancy with its unit and ledger, the
// district, the latest application, the agency records about the members and the policy parameters a
// summary measures with. Each part primes the loader that would have read it (one statement a kind),
// so every field then finds its value at hand (AtHandLoader.peek, agency.peek), and the loaders stay
// the one way records are read. Only what the page's query asks for is read.
import { and, asc, isNull, sql, type SQL } from 'drizzle-orm';
import type { GraphQLResolveInfo } from 'graphql';
import { connectors } from '../../connectors/index.js';
import { personAgencyFields, unitAgencyFields } from '../agency/kind-fields.js';
import type { AgencyLoaders } from '../agency/loaders.js';
import { SUMMARY_KINDS, SUMMARY_POLICY } from '../agency/summary.js';
import { byKey, groupByKey } from '../db/batch.js';
import { jsonRows } from '../db/json-rows.js';
import type { ReadAlong } from '../db/pages.js';
import { applications, currentHousing, districts, households, housingUnits, persons, rentLedger, tenancies } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { parametersFrom, selectParametersInForce, type PolicyCache } from '../policy/service.js';
import { selectedFields } from '../selection.js';
import type { HouseholdRow, RecordLoaders } from './loaders.js';

export interface PageReadContext {
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
const UNIT_AGENCY_FIELDS = unitAgencyFields(connectors);

const rows = {
  district: jsonRows(districts),
  person: jsonRows(persons),
  housing: jsonRows(currentHousing),
  tenancy: jsonRows(tenancies),
  unit: jsonRows(housingUnits),
  ledger: jsonRows(rentLedger),
  application: jsonRows(applications),
};

/** one part of the read: a JSON value over the page's ids, and what to make of it */
interface Part {
  select: (ids: SQL) => SQL;
  settle: (value: unknown, ids: readonly number[]) => void;
}

/**
 * What a page of households (`info`: the list field, its objects under `nodes`) will read, to be read along with the
 * list (keysetPage's `along`) and settled into the request's loaders once the page's rows are known; null when its
 * fields read nothing more than the households.
 */
export function planReadAhead(
  ctx: PageReadContext,
  info: GraphQLResolveInfo,
): (ReadAlong & { settle(value: unknown, page: readonly HouseholdRow[]): void }) | null {
  const { loaders, agency, today } = ctx;
  const fields = selectedFields(info, 'nodes');
  const asks = (...names: string[]) => names.some((n) => fields.has(n));
  const parts: Part[] = [];
  const part = (select: Part['select'], settle: Part['settle']) => parts.push({ select, settle });
  const running = (ids: SQL) => and(sql`${tenancies.householdId} = any(${ids})`, isNull(tenancies.endDate))!;

  if (asks('district')) {
    part(
      (ids) => rows.district.select(sql`${districts.id} in (select ${households.districtId} from ${households} where ${households.id} = any(${ids}))`),
      (v) => {
        for (const district of rows.district.build(v)) loaders.district.prime(district.id, district);
      },
    );
  }
  let members: string[] = [];
  if (asks(...READ_MEMBERS)) {
    part(
      (ids) => rows.person.select(and(sql`${persons.householdId} = any(${ids})`, isNull(persons.leftOn))!, asc(persons.id)),
      (v, ids) => {
        const people = rows.person.build(v);
        members = people.map((p) => p.residentId);
        primeAll(
          loaders.membersByHousehold,
          ids,
          groupByKey(ids, people, (r) => r.householdId),
        );
      },
    );
  } else if (asks('size')) {
    part(
      (ids) => sql`(select json_agg(json_build_array(h, n)) from (select ${persons.householdId} as h, count(*)::int as n from ${persons}
        where ${persons.householdId} = any(${ids}) and ${persons.leftOn} is null group by 1) c)`,
      (v, ids) => {
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
    part(
      (ids) => rows.housing.select(sql`${currentHousing.householdId} = any(${ids})`),
      (v, ids) =>
        primeAll(
          loaders.currentHousing,
          ids,
          byKey(ids, rows.housing.build(v), (r) => r.householdId),
        ),
    );
  }
  if (asks('tenancy', 'unit')) {
    let tenancyIds: number[] = [];
    let unitIds: number[] = [];
    part(
      (ids) => rows.tenancy.select(running(ids)),
      (v, ids) => {
        const found = rows.tenancy.build(v);
        tenancyIds = found.map((t) => t.id);
        unitIds = found.map((t) => t.unitId);
        primeAll(
          loaders.activeTenancyByHousehold,
          ids,
          byKey(ids, found, (r) => r.householdId),
        );
      },
    );
    const units = (ids: SQL) => sql`(select ${tenancies.unitId} from ${tenancies} where ${running(ids)})`;
    if (asks('unit')) {
      part(
        (ids) => rows.unit.select(sql`${housingUnits.id} in ${units(ids)}`),
        (v) => {
          for (const unit of rows.unit.build(v)) loaders.unit.prime(unit.id, unit);
        },
      );
      // the units' agency records (utility readings) when the page shows them: settled once the units are known
      if ([...selectedFields(info, ['nodes', 'unit'])].some((n) => UNIT_AGENCY_FIELDS.has(n))) {
        let planned: ReturnType<AgencyLoaders['plannedUnits']> = null;
        part(
          (ids) => (planned = agency.plannedUnits(units(ids)))?.select ?? sql`null`,
          (v) => planned?.settle(v, unitIds),
        );
      }
    }
    if (READ_LEDGER.some((n) => selectedFields(info, ['nodes', 'tenancy']).has(n))) {
      part(
        (ids) => rows.ledger.select(sql`${rentLedger.tenancyId} in (select ${tenancies.id} from ${tenancies} where ${running(ids)})`, asc(rentLedger.month)),
        (v) =>
          primeAll(
            loaders.ledgerByTenancy,
            tenancyIds,
            groupByKey(tenancyIds, rows.ledger.build(v), (r) => r.tenancyId),
          ),
      );
    }
  }
  if (asks('application')) {
    const latest = (ids: SQL) => sql`(select distinct on (${applications.householdId}) ${applications.id} from ${applications}
      where ${applications.householdId} = any(${ids}) order by ${applications.householdId}, ${applications.id} desc)`;
    part(
      (ids) => rows.application.select(sql`${applications.id} in ${latest(ids)}`),
      (v, ids) =>
        primeAll(
          loaders.applicationByHousehold,
          ids,
          byKey(ids, rows.application.build(v), (r) => r.householdId),
        ),
    );
  }
  // agency records about the members: every kind for the members' own agency fields, the summary's kinds for it
  const memberAgencyFields = fields.has('members') && [...selectedFields(info, ['nodes', 'members'])].some((n) => AGENCY_FIELDS.has(n));
  const people = memberAgencyFields || asks('agencySummary');
  if (people) {
    const planned = agency.planned(sql`(select s from people)`, memberAgencyFields ? undefined : SUMMARY_KINDS, asks('agencySummary'));
    // after the members' part (READ_MEMBERS holds both fields): settled once the members are known
    part(
      () => planned.select,
      (v) => planned.settle(v, members, today),
    );
  }
  if (asks('agencySummary')) {
    part(
      () => selectParametersInForce(SUMMARY_POLICY, today),
      (v) => ctx.policies.prime(SUMMARY_POLICY, today, parametersFrom(v)),
    );
  }
  if (!parts.length) return null;

  return {
    select: (ids) => {
      const values = sql.join(
        parts.map((p) => p.select(ids)),
        sql`, `,
      );
      return people
        ? sql`(with people as (select ${persons.residentId}::text as s from ${persons} where ${persons.householdId} = any(${ids}) and ${persons.leftOn} is null)
            select json_build_array(${values}))`
        : sql`json_build_array(${values})`;
    },
    settle(value, page) {
      if (!page.length) return;
      const ids = page.map((h) => h.id);
      try {
        parts.forEach((p, i) => p.settle((value as unknown[])[i], ids));
      } catch (error) {
        // what was not primed, each field reads for itself through its loader
        ctx.log.warn({ err: error }, 'a page read ahead could not be settled; its fields read for themselves');
      }
    },
  };
}

function primeAll<K, V>(loader: { prime(key: K, value: V): unknown }, keys: readonly K[], values: readonly V[]) {
  keys.forEach((key, i) => loader.prime(key, values[i]!));
}
