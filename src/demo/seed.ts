// The demo written through the public API, as a bureau would build the same records by hand: districts
// created, units imported, households registered and taken through their applications, offers made and
// accepted, rent charged by the job and paid from a bank file, subsidies started, exits completed.
// Agency records go in through the agencies' own feed service. Nothing here writes a table directly,
// so the demo follows exactly the path production does.
import type { Caller } from '../auth/caller.js';
import type { Database } from '../db/client.js';
import type { Hub } from '../server.js';
import { feedAgencyRecords, generateDemoData, type DemoData, type GenerateOptions } from './generator.js';
import { generateAgencyRecords } from './agency-data.js';

/** runs one GraphQL operation and returns its data, or throws with the errors it answered */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are shaped by each query; callers name T
export type Api = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** who the demo's records say made them */
export const DEMO_SEEDER: Caller = { id: 'demo-seed', role: 'ADMIN', districts: null, agency: null };

/** The hub's own API, in process, as `caller`: data, or an error naming what was refused. */
export function apiOf(hub: Hub, caller: Caller): Api {
  return async (query, variables) => {
    const result = await hub.execute(query, variables, caller);
    if (result.errors?.length)
      throw new Error(`${query.slice(0, 80)}: ${result.errors.map((e) => `${e.message} (${String(e.extensions?.['code'])})`).join('; ')}`);
    return result.data as never;
  };
}

/** Writes the demo on first start, through the API: nothing when households exist already. */
export async function seedDemoIfEmpty(hub: Hub, database: Database, options: GenerateOptions): Promise<boolean> {
  const api = apiOf(hub, DEMO_SEEDER);
  const existing = await api<{ households: { totalCount: number } }>('{ households(first: 1) { totalCount } }');
  if (existing.households.totalCount > 0) return false;
  await seedDemo(api, database, generateDemoData(options), options);
  return true;
}

export interface SeedOptions {
  seed: number;
  today: string;
}

const monthStart = (iso: string) => `${iso.slice(0, 7)}-01`;

/** the first day of the month after `iso` (or `iso` itself when it is a first) */
function firstOnOrAfter(iso: string): string {
  if (iso.endsWith('-01')) return iso;
  const [y, m] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7))];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

async function unitIdsByAddress(api: Api): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let after: string | null = null;
  do {
    const page: { housingUnits: { nodes: { id: string; address: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await api(
      `query($after: String) { housingUnits(first: 100, after: $after) { nodes { id address } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    for (const u of page.housingUnits.nodes) ids.set(u.address, Number(u.id));
    after = page.housingUnits.pageInfo.hasNextPage ? page.housingUnits.pageInfo.endCursor : null;
  } while (after);
  return ids;
}

export async function seedDemo(api: Api, database: Database, plan: DemoData, options: SeedOptions): Promise<void> {
  const known = new Set((await api<{ districts: { id: string }[] }>('{ districts { id } }')).districts.map((d) => d.id));
  for (const d of plan.districts) {
    if (!known.has(d.id))
      await api('mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { id } }', {
        input: { id: d.id, name: d.name, jurisdiction: d.jurisdiction, policyId: d.policyId ?? 'KC' },
      });
  }

  await api('mutation($units: [HousingUnitImport!]!) { importHousingUnits(batchKey: "demo-housing-stock", mode: ALL_OR_NOTHING, units: $units) { status } }', {
    units: plan.housingUnits.map((u, i) => {
      const floorArea = Number(u.floorArea);
      // the generator plans sizes; rooms follow from them, and every fourth unit is low-rent stock
      return {
        address: u.address,
        districtId: u.districtId,
        floorArea,
        rooms: floorArea < 45 ? 1 : floorArea < 55 ? 2 : 3,
        kind: i % 4 === 3 ? 'LOW_RENT' : 'PUBLIC_RENTAL',
      };
    }),
  });
  const unitId = await unitIdsByAddress(api);
  const planUnitAddress = new Map(plan.housingUnits.map((u) => [u.id as number, u.address]));
  const realUnit = (planId: number) => unitId.get(planUnitAddress.get(planId)!)!;

  // what the agencies know, keyed by the real unit ids
  const records = generateAgencyRecords(plan, options.seed, options.today);
  records.utilities['reading'] = (records.utilities['reading'] ?? []).map((r) => ({ ...r, unitId: realUnit(r['unitId'] as number) }));
  await feedAgencyRecords(database, records, options.today);

  const membersOf = new Map<number, DemoData['persons']>();
  for (const p of plan.persons) membersOf.set(p.householdId, [...(membersOf.get(p.householdId) ?? []), p]);
  const eventsOf = new Map<number, DemoData['applicationEvents']>();
  for (const e of plan.applicationEvents) eventsOf.set(e.applicationId, [...(eventsOf.get(e.applicationId) ?? []), e]);
  const housingOf = new Map(plan.currentHousing.map((c) => [c.householdId, c]));
  const tenancyOf = new Map(plan.tenancies.map((t) => [t.householdId, t]));
  const tenancies = new Map<number, { id: string; startDate: string }>(); // by the plan's tenancy id
  const exits: { householdId: string; unitId: string; on: string }[] = [];

  for (const h of plan.households) {
    const housing = housingOf.get(h.id as number)!;
    const registered = await api<{ registerHousehold: { id: string; application: { id: string } } }>(
      'mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id } } }',
      {
        input: {
          districtId: h.districtId,
          category: h.category,
          applicationDate: h.applicationDate,
          members: (membersOf.get(h.id as number) ?? []).map((m) => ({ residentId: m.residentId, name: m.name, birthDate: m.birthDate, relation: m.relation })),
          currentHousing: { floorArea: Number(housing.floorArea), tenure: housing.tenure },
        },
      },
    );
    const householdId = registered.registerHousehold.id;
    let approvedOn: string | null = null;
    for (const e of (eventsOf.get(h.id as number) ?? []).slice(1)) {
      await api('mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }', {
        input: { applicationId: registered.registerHousehold.application.id, decision: 'ADVANCE', on: e.enteredOn },
      });
      if (e.stage === 'APPROVED') approvedOn = e.enteredOn;
    }
    const planned = tenancyOf.get(h.id as number);
    if (planned && approvedOn) {
      const offeredOn = approvedOn > planned.startDate ? approvedOn : planned.startDate;
      const startDate = firstOnOrAfter(offeredOn) > options.today ? offeredOn : firstOnOrAfter(offeredOn);
      const offer = await api<{ offerUnit: { id: string } }>('mutation($input: OfferUnitInput!) { offerUnit(input: $input) { id } }', {
        input: { householdId, unitId: String(realUnit(planned.unitId)), on: offeredOn },
      });
      const accepted = await api<{ acceptOffer: { tenancy: { id: string; unit: { id: string } } } }>(
        'mutation($input: AcceptOfferInput!) { acceptOffer(input: $input) { tenancy { id unit { id } } } }',
        { input: { offerId: offer.offerUnit.id, on: offeredOn, startDate } },
      );
      const tenancy = accepted.acceptOffer.tenancy;
      tenancies.set(planned.id as number, { id: tenancy.id, startDate });
      if (planned.endDate) {
        const on = planned.endDate > startDate ? planned.endDate : options.today;
        exits.push({ householdId, unitId: tenancy.unit.id, on });
      }
    }
    if (h.status === 'SUBSIDISED' && approvedOn) {
      await api('mutation($input: StartSubsidyInput!) { startSubsidy(input: $input) { id } }', { input: { householdId, startDate: approvedOn } });
    }
  }

  // the monthly job, run now: every tenancy's months charged up to this one
  await api('mutation { chargeRent { created } }');
  await payPlannedRent(api, plan, tenancies);

  for (const exit of exits) {
    const opened = await api<{ openExitCase: { id: string } }>('mutation($input: OpenExitCaseInput!) { openExitCase(input: $input) { id } }', {
      input: {
        householdId: exit.householdId,
        ground: 'NO_LONGER_QUALIFIED',
        summary: 'the family no longer qualifies and agreed to leave (demo)',
        openedOn: exit.on,
      },
    });
    const caseId = opened.openExitCase.id;
    await api('mutation($input: ServeExitNoticeInput!) { serveExitNotice(input: $input) { id } }', { input: { caseId, servedOn: exit.on } });
    const inspection = await api<{ recordInspection: { id: string } }>('mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { id } }', {
      input: {
        unitId: exit.unitId,
        purpose: 'EXIT',
        visitedOn: exit.on,
        staff: ['王**', '李**'],
        outcome: 'NO_ISSUES',
        findings: 'unit cleared, keys returned',
        exitCaseId: caseId,
      },
    });
    await api('mutation($input: CompleteExitInput!) { completeExit(input: $input) { id } }', {
      input: { caseId, on: exit.on, inspectionId: inspection.recordInspection.id },
    });
  }

  // the daily inspection's work, run now: the alerts the data calls for (arrears, vacancy, deaths, …)
  await api('mutation { runDetection }');
}

/**
 * The bank's file: each month the plan says was paid, for what the job charged it, in one import.
 * Months before the real start of a tenancy (the plan's start can precede the approval) are skipped.
 */
async function payPlannedRent(api: Api, plan: DemoData, tenancies: Map<number, { id: string; startDate: string }>): Promise<void> {
  const due = new Map<string, number>(); // tenancy id/month -> amount charged
  let after: string | null = null;
  do {
    const page: {
      households: {
        nodes: { tenancy: { id: string; rentLedger: { month: string; amountDue: number }[] } | null }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await api(
      `query($after: String) { households(first: 100, after: $after, filter: { status: HOUSED }) { nodes { tenancy { id rentLedger { month amountDue } } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    for (const h of page.households.nodes) for (const line of h.tenancy?.rentLedger ?? []) due.set(`${h.tenancy!.id}/${line.month}`, line.amountDue);
    after = page.households.pageInfo.hasNextPage ? page.households.pageInfo.endCursor : null;
  } while (after);
  const payments = plan.rentLedger.flatMap((line) => {
    const tenancy = tenancies.get(line.tenancyId);
    const month = monthStart(line.month);
    const amount = tenancy && due.get(`${tenancy.id}/${month}`);
    if (!tenancy || !amount || !line.amountPaid || !line.paidOn) return [];
    return [{ tenancyId: tenancy.id, month, amount, paidOn: line.paidOn < month ? month : line.paidOn, reference: `DEMO-${tenancy.id}-${month.slice(0, 7)}` }];
  });
  if (payments.length) {
    await api(
      'mutation($payments: [RentPaymentImport!]!) { importRentPayments(batchKey: "demo-bank-file", mode: ALL_OR_NOTHING, payments: $payments) { status } }',
      { payments },
    );
  }
}
