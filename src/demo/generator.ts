// Deterministic demo and benchmark data: the same seed and reference date always give the same rows.
import { Faker, base, en, zh_CN } from '@faker-js/faker';
import { addDays, addMonths, min, startOfMonth, subDays, subMonths, subYears } from 'date-fns';
import type { PgTable } from 'drizzle-orm/pg-core';
import { connectors } from '../../connectors/index.js';
import type { AgencyId } from '../agency/connector.js';
import { ingestFeed } from '../agency/ingest.js';
import { copyRecords, resetIdentity } from '../db/bulk.js';
import type { AgencyRecords } from './agency-data.js';
import type { Database } from '../db/client.js';
import * as t from '../db/schema.js';
import { makeResidentId } from '../domain/resident-id.js';
import { addWorkingDays, fromIsoDate, toIsoDate as iso } from '../domain/working-days.js';
import type { ApplicationStage, HouseholdStatus } from '../applications/stages.js';
import { STAGES } from '../applications/stages.js';
import { KUANCHENG } from '../policy/definitions.js';
import { subsidies } from '../rent/tables.js';

/** Kuancheng Manchu Autonomous County (area code 130827) and towns of its county seat area. */
export const DEMO_DISTRICTS = [
  { id: 'KC-KCZ', name: '宽城镇 Kuancheng Town', jurisdiction: 'KUANCHENG' },
  { id: 'KC-LXM', name: '龙须门镇 Longxumen', jurisdiction: 'KUANCHENG' },
  { id: 'KC-BCZ', name: '板城镇 Banchengzi', jurisdiction: 'KUANCHENG' },
  { id: 'KC-TDH', name: '汤道河镇 Tangdaohe', jurisdiction: 'KUANCHENG' },
  { id: 'KC-EYY', name: "峪耳崖镇 Yu'erya", jurisdiction: 'KUANCHENG' },
] as const;

const LOCAL_AREA = '130827';
const SUBSIDY_PER_CAPITA = KUANCHENG.parameters.find((p) => p.code === 'SUBSIDY.PER_CAPITA_MONTHLY')!.value;
const MIGRANT_AREAS = ['130821', '130822', '130824', '130826', '131002', '130302'];

type Row<T extends PgTable> = T['$inferInsert'];

export interface DemoData {
  districts: Row<typeof t.districts>[];
  households: Row<typeof t.households>[];
  persons: Row<typeof t.persons>[];
  currentHousing: Row<typeof t.currentHousing>[];
  housingUnits: Row<typeof t.housingUnits>[];
  tenancies: Row<typeof t.tenancies>[];
  rentLedger: Row<typeof t.rentLedger>[];
  applications: Row<typeof t.applications>[];
  applicationEvents: Row<typeof t.applicationEvents>[];
  waitlistEntries: Row<typeof t.waitlistEntries>[];
  subsidies: Row<typeof subsidies>[];
}

export interface GenerateOptions {
  households: number;
  seed: number;
  /** the reference date: ledgers run up to its month, waits and deadlines count from it */
  today: string;
}

export function generateDemoData({ households: count, seed, today }: GenerateOptions): DemoData {
  const faker = new Faker({ locale: [zh_CN, en, base], seed });
  const pick = <T>(items: readonly T[]) => items[faker.number.int(items.length - 1)]!;
  const weighted = <T>(items: readonly [T, number][]) => faker.helpers.weightedArrayElement(items.map(([value, weight]) => ({ value, weight })));
  const ref = fromIsoDate(today);
  const usedIds = new Set<string>();
  const out: DemoData = {
    districts: [...DEMO_DISTRICTS],
    households: [],
    persons: [],
    currentHousing: [],
    housingUnits: [],
    tenancies: [],
    rentLedger: [],
    applications: [],
    applicationEvents: [],
    waitlistEntries: [],
    subsidies: [],
  };
  let personSeq = 0;
  let eventId = 0;
  let ledgerId = 0;

  const residentId = (area: string, birth: string, sex: 'MALE' | 'FEMALE') => {
    for (let seq = faker.number.int(999); ; seq = (seq + 1) % 1000) {
      const id = makeResidentId(area, birth, seq, sex);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const birthDate = (minAge: number, maxAge: number) => iso(faker.date.between({ from: subYears(ref, maxAge + 1), to: subYears(ref, minAge) }));

  for (let id = 1; id <= count; id++) {
    const district = DEMO_DISTRICTS[(id - 1) % DEMO_DISTRICTS.length]!;
    const category = weighted<t.HouseholdRowCategory>([
      ['LOCAL', 6],
      ['MIGRANT', 3],
      ['NEW_CITIZEN', 1],
    ]);
    const status = weighted<HouseholdStatus>([
      ['APPLICANT', 1],
      ['UNDER_REVIEW', 1],
      ['WAITLISTED', 2],
      ['HOUSED', 4],
      ['SUBSIDISED', 1],
      ['EXITED', 1],
    ]);
    const applicationDate = iso(
      subDays(ref, status === 'APPLICANT' || status === 'UNDER_REVIEW' ? faker.number.int({ min: 1, max: 40 }) : faker.number.int({ min: 60, max: 1500 })),
    );
    out.households.push({ id, districtId: district.id, category, status, applicationDate });

    const area = category === 'LOCAL' ? LOCAL_AREA : pick(MIGRANT_AREAS);
    const headSex = faker.helpers.arrayElement(['MALE', 'FEMALE'] as const);
    const headAge: [number, number] = category === 'NEW_CITIZEN' ? [22, 35] : [25, 68];
    const members: { relation: t.RelationToHead; sex: 'MALE' | 'FEMALE'; birth: string }[] = [{ relation: 'HEAD', sex: headSex, birth: birthDate(...headAge) }];
    const size = weighted<number>([
      [1, 1],
      [2, 3],
      [3, 4],
      [4, 2],
      [5, 1],
    ]);
    if (size >= 2) members.push({ relation: 'SPOUSE', sex: headSex === 'MALE' ? 'FEMALE' : 'MALE', birth: birthDate(headAge[0], headAge[1]) });
    for (let i = members.length; i < size; i++) {
      const relation = i === 4 ? 'PARENT' : 'CHILD';
      members.push({
        relation,
        sex: faker.helpers.arrayElement(['MALE', 'FEMALE'] as const),
        birth: relation === 'PARENT' ? birthDate(60, 85) : birthDate(0, 20),
      });
    }
    for (const m of members) {
      personSeq += 1;
      out.persons.push({
        id: personSeq,
        householdId: id,
        residentId: residentId(area, m.birth, m.sex),
        name: faker.person.lastName() + faker.person.firstName(m.sex === 'MALE' ? 'male' : 'female'),
        birthDate: m.birth,
        sex: m.sex,
        relation: m.relation,
      });
    }
    const tenure = weighted<t.HousingTenureValue>([
      ['RENTED', 7],
      ['OWNED', 2],
      ['NONE', 1],
    ]);
    out.currentHousing.push({
      householdId: id,
      tenure,
      floorArea: tenure === 'NONE' ? 0 : faker.number.float({ min: 8, max: 70, fractionDigits: 1 }),
    });

    // application history up to the household's stage
    const stages: ApplicationStage[] = ['SUBMITTED'];
    if (status === 'UNDER_REVIEW')
      stages.push(
        ...pick<ApplicationStage[]>([
          ['PRELIMINARY_REVIEW'],
          ['PRELIMINARY_REVIEW', 'PUBLIC_NOTICE'],
          ['PRELIMINARY_REVIEW', 'PUBLIC_NOTICE', 'COUNTY_REVIEW'],
        ]),
      );
    if (status !== 'APPLICANT' && status !== 'UNDER_REVIEW') stages.push('PRELIMINARY_REVIEW', 'PUBLIC_NOTICE', 'COUNTY_REVIEW', 'APPROVED');
    let on = applicationDate;
    let deadline: string | null = null;
    for (const [i, stage] of stages.entries()) {
      if (i > 0) on = addWorkingDays(on, faker.number.int({ min: 1, max: STAGES[stages[i - 1]!].workingDays ?? 3 }));
      if (on > today) on = today;
      const wd = STAGES[stage].workingDays;
      deadline = wd === null ? null : addWorkingDays(on, wd);
      out.applicationEvents.push({ id: ++eventId, applicationId: id, stage, enteredOn: on, deadline });
    }
    out.applications.push({
      id,
      householdId: id,
      stage: stages[stages.length - 1]!,
      submittedOn: applicationDate,
      stageEnteredOn: on,
      stageDeadline: deadline,
    });

    if (status === 'WAITLISTED' || status === 'SUBSIDISED') {
      out.waitlistEntries.push({ householdId: id, districtId: district.id, enteredOn: on });
    }
    // KC-26: subsidised since it was waitlisted, at the seeded standard
    if (status === 'SUBSIDISED')
      out.subsidies.push({
        id: out.subsidies.length + 1,
        householdId: id,
        startDate: on,
        monthlyAmount: SUBSIDY_PER_CAPITA * members.length,
        startedBy: 'demo',
      });
    if (status === 'HOUSED' || status === 'EXITED') {
      const unitId = out.housingUnits.length + 1;
      out.housingUnits.push({
        id: unitId,
        districtId: district.id,
        address: `${district.name.split(' ')[0]} 保障房小区 ${Math.ceil(unitId / 24)}栋 ${(unitId % 24) + 1}号`,
        floorArea: faker.number.float({ min: 35, max: 60, fractionDigits: 1 }),
      });
      const allowance = faker.number.int(3) === 0;
      const rentPerM2 = allowance ? 1 : 6;
      const monthlyRent = Math.round(Number(out.housingUnits[unitId - 1]!.floorArea) * rentPerM2 * 100) / 100;
      const start = startOfMonth(subMonths(ref, faker.number.int({ min: 2, max: 30 })));
      const end = status === 'EXITED' ? startOfMonth(subMonths(ref, faker.number.int({ min: 0, max: 1 }))) : null;
      out.tenancies.push({
        id: unitId,
        unitId,
        householdId: id,
        startDate: iso(start),
        endDate: end && iso(end),
        rentStandard: allowance ? 'MINIMUM_ALLOWANCE' : 'STANDARD',
        monthlyRent,
      });
      // payers: most pay every month; some miss months now and then; a few stop paying
      const habit = weighted<'PAYS' | 'MISSES' | 'STOPPED'>([
        ['PAYS', 14],
        ['MISSES', 4],
        ['STOPPED', 2],
      ]);
      const stopAfter = faker.number.int({ min: 0, max: 12 });
      const lastMonth = end ?? startOfMonth(ref);
      let monthIndex = 0;
      for (let m = start; m <= lastMonth; m = addMonths(m, 1), monthIndex++) {
        const paid = habit === 'PAYS' || (habit === 'MISSES' && faker.number.int(4) !== 0) || (habit === 'STOPPED' && monthIndex < stopAfter);
        out.rentLedger.push({
          id: ++ledgerId,
          tenancyId: unitId,
          month: iso(m),
          amountDue: monthlyRent,
          amountPaid: paid ? monthlyRent : 0,
          paidOn: paid ? iso(min([addDays(m, faker.number.int(20)), ref])) : null,
        });
      }
    }
  }
  // a few free units per district, for allocation by lottery
  for (const district of DEMO_DISTRICTS) {
    for (let i = 0; i < Math.max(2, Math.round(count / 100)); i++) {
      const unitId = out.housingUnits.length + 1;
      out.housingUnits.push({
        id: unitId,
        districtId: district.id,
        address: `${district.name.split(' ')[0]} 保障房小区 空置 ${unitId}号`,
        floorArea: faker.number.float({ min: 35, max: 60, fractionDigits: 1 }),
      });
    }
  }
  return out;
}

/** Writes generated data in one transaction, by COPY. */
export async function writeDemoData(database: Database, data: DemoData): Promise<void> {
  await database.bulk(async (session) => {
    await session.query(`insert into districts (id, name, jurisdiction) select * from unnest($1::text[], $2::text[], $3::text[]) on conflict do nothing`, [
      data.districts.map((d) => d.id),
      data.districts.map((d) => d.name),
      data.districts.map((d) => d.jurisdiction),
    ]);
    await copyRecords(session, t.households, data.households);
    await copyRecords(session, t.persons, data.persons);
    await copyRecords(session, t.currentHousing, data.currentHousing);
    await copyRecords(session, t.housingUnits, data.housingUnits);
    await copyRecords(session, t.tenancies, data.tenancies);
    await copyRecords(session, t.rentLedger, data.rentLedger);
    await copyRecords(session, t.applications, data.applications);
    await copyRecords(session, t.applicationEvents, data.applicationEvents);
    await copyRecords(session, t.waitlistEntries, data.waitlistEntries);
    await copyRecords(session, subsidies, data.subsidies);
    await resetIdentity(session, [
      t.households,
      t.persons,
      t.housingUnits,
      t.tenancies,
      t.rentLedger,
      t.applications,
      t.applicationEvents,
      t.waitlistEntries,
      subsidies,
    ]);
  });
}

/** Sends each agency's demo records through its feed, as the agency itself would. */
export async function feedAgencyRecords(database: Database, records: AgencyRecords, asOf: string): Promise<void> {
  for (const [agency, kinds] of Object.entries(records) as [AgencyId, AgencyRecords[AgencyId]][]) {
    const result = await ingestFeed(database, connectors[agency], {
      batchKey: `demo-${asOf}`,
      asOf,
      parts: Object.entries(kinds).map(([kind, list]) => ({ kind, records: list })),
      // the demo agencies send everything they hold: each kind a complete extract, or nothing to report
      declarations: {
        complete: Object.entries(kinds)
          .filter(([, list]) => list.length)
          .map(([kind]) => kind),
        nothingToReport: Object.entries(kinds)
          .filter(([, list]) => !list.length)
          .map(([kind]) => kind),
      },
    });
    if (result.rejected > 0) throw new Error(`demo ${agency} records rejected: ${JSON.stringify(result.errors.slice(0, 3))}`);
  }
}
