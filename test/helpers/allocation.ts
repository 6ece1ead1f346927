// Fixtures for allocation tests: waitlisted households registered and approved through the API, and
// units written as the bureau's records (the unit import belongs to another area).
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { offers } from '../../src/allocation/tables.js';
import { households, housingUnits } from '../../src/db/schema.js';
import { makeResidentId } from '../../src/domain/resident-id.js';
import type { TestHub } from './hub.js';

let sequence = 600;

export interface Waitlisted {
  id: string;
  residentIds: string[];
}

/** a two-person household of `districtId`, approved onto the waitlist on `approvedOn` */
export async function waitlisted(t: TestHub, districtId: string, approvedOn = '2026-09-01'): Promise<Waitlisted> {
  const residentIds = [makeResidentId('130827', '1978-04-02', ++sequence, 'MALE'), makeResidentId('130827', '1980-07-15', ++sequence, 'FEMALE')];
  const reg = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id } } }`, {
    input: {
      districtId,
      category: 'LOCAL',
      applicationDate: '2026-06-01',
      members: [
        { residentId: residentIds[0], name: '户主', birthDate: '1978-04-02', relation: 'HEAD' },
        { residentId: residentIds[1], name: '配偶', birthDate: '1980-07-15', relation: 'SPOUSE' },
      ],
      currentHousing: { floorArea: 20, tenure: 'RENTED' },
    },
  });
  expect(reg.body.errors).toBeUndefined();
  const applicationId = reg.body.data.registerHousehold.application.id;
  for (let i = 0; i < 4; i++) {
    const res = await t.gql(`mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }`, {
      input: { applicationId, on: approvedOn },
    });
    expect(res.body.errors).toBeUndefined();
  }
  return { id: reg.body.data.registerHousehold.id, residentIds };
}

let units = 0;

export async function freeUnit(t: TestHub, districtId: string, floorArea = 45.55): Promise<string> {
  units += 1;
  const [unit] = await t.database.db
    .insert(housingUnits)
    .values({ districtId, address: `测试小区 ${districtId} ${units}号`, floorArea })
    .returning();
  return String(unit!.id);
}

export async function unitStatus(t: TestHub, unitId: string): Promise<string> {
  const [unit] = await t.database.db
    .select({ status: housingUnits.status })
    .from(housingUnits)
    .where(eq(housingUnits.id, Number(unitId)));
  return unit!.status;
}

export async function householdStatus(t: TestHub, id: string): Promise<string> {
  const [row] = await t.database.db
    .select({ status: households.status })
    .from(households)
    .where(eq(households.id, Number(id)));
  return row!.status;
}

export async function countRows(t: TestHub, table: 'offers' | 'tenancies' | 'lottery_draws' | 'rent_ledger'): Promise<number> {
  const res = (await t.database.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)) as unknown as { rows: { n: number }[] };
  return res.rows[0]!.n;
}

export async function openOffersOfUnit(t: TestHub, unitId: string): Promise<number> {
  const rows = await t.database.db
    .select()
    .from(offers)
    .where(eq(offers.unitId, Number(unitId)));
  return rows.filter((o) => o.status === 'OPEN').length;
}

export const OFFER_UNIT = `mutation($input: OfferUnitInput!) { offerUnit(input: $input) { id status offeredOn acceptBy household { id } unit { id } } }`;
export const ACCEPT = `mutation($input: AcceptOfferInput!) { acceptOffer(input: $input) { id status decidedOn decidedBy tenancy { id startDate rentStandard monthlyRent unit { id } offer { id } } } }`;
export const DECLINE = `mutation($input: DeclineOfferInput!) { declineOffer(input: $input) { id status decidedOn reason household { id status declinedOffers } } }`;
export const WITHDRAW = `mutation($input: WithdrawOfferInput!) { withdrawOffer(input: $input) { id status reason } }`;
export const DRAW = `mutation($input: DrawLotteryInput!) { drawLottery(input: $input) { id householdIds unitIds verified offers { id status offeredOn acceptBy household { id } unit { id } draw { id } } } }`;
