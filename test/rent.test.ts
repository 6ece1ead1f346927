// Rent (KC-15..17, KC-19(2), KC-36): monthly charges and their catch-up, payments and their
// allocation, bulk payment files, reductions and waivers; who may do each.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { selectRows } from '../src/db/client.js';
import { Jobs } from '../src/jobs/index.js';
import { createLogger } from '../src/logger.js';
import { chargeRent } from '../src/rent/charges.js';
import { rentAdjustments } from '../src/rent/tables.js';
import { startTestHub, TEST_JWT_SECRET, TEST_TODAY, type GraphQLResponse, type TestHub } from './helpers/hub.js';
import { ledgerOf, registerIn, rentSnapshot, tenancyFor } from './helpers/rent.js';
import { CALLERS } from './helpers/roles.js';

let t: TestHub;
const CASEWORKER = CALLERS['CASEWORKER']!;

beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const errorOf = (res: GraphQLResponse) => res.body.errors?.[0]?.extensions as { code?: string; field?: string } | undefined;

const PAY = `mutation($input: RecordRentPaymentInput!) { recordRentPayment(input: $input) { id amount paidOn reference allocation { month amount } imported recordedBy tenancy { id } } }`;
const DECIDE = `mutation($input: DecideRentAdjustmentInput!) { decideRentAdjustment(input: $input) { id kind ground monthlyRent effectiveFrom effectiveTo evidence reason decidedBy revoked } }`;
const REVOKE = `mutation($input: RevokeRentAdjustmentInput!) { revokeRentAdjustment(input: $input) { id revoked revokedBy effectiveFrom effectiveTo } }`;
const IMPORT = `mutation($k: String!, $m: FeedMode, $p: [RentPaymentImport!]!) { importRentPayments(batchKey: $k, mode: $m, payments: $p) { status replayed received accepted rejected errors { index field reason } } }`;
const TENANCY = `query($id: ID!) { household(id: $id) { tenancy { id currentRent rentLedger { month amountDue amountPaid paidOn unpaid } arrears { monthsUnpaid amountOutstanding oldestUnpaidMonth }
  payments { reference amount allocation { month amount } } adjustments { id kind monthlyRent effectiveFrom effectiveTo revoked } } } }`;

async function tenancyView(householdId: number) {
  const res = await t.gql(TENANCY, { id: String(householdId) });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.household.tenancy;
}

describe('monthly charges', () => {
  it('charges every month from the start through this month once, an ended tenancy through its last month, and catches up after downtime', async () => {
    const running = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-06-15', monthlyRent: 270 });
    const ended = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-01-01', endDate: '2026-03-20', monthlyRent: 45 });
    const future = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-12-01' });

    // the hub last ran in September, then was down until today
    expect(await chargeRent(t.database.db, '2026-09-05')).toEqual({ created: 4 + 3, tenancies: 2, throughMonth: '2026-09-01' });
    const run = await t.gql('mutation { chargeRent { created tenancies throughMonth } }');
    expect(run.body.data.chargeRent).toEqual({ created: 2, tenancies: 1, throughMonth: '2026-11-01' });
    expect((await ledgerOf(t.database.db, running)).map((l) => [l.month, l.due, l.paid])).toEqual(
      ['2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01', '2026-11-01'].map((m) => [m, 270, 0]),
    );
    expect((await ledgerOf(t.database.db, ended)).map((l) => l.month)).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(await ledgerOf(t.database.db, future)).toEqual([]);

    const again = await t.gql('mutation { chargeRent { created tenancies } }');
    expect(again.body.data.chargeRent).toEqual({ created: 0, tenancies: 0 });
    expect(await ledgerOf(t.database.db, running)).toHaveLength(6);
  });

  it('the rent-charges job charges the missing months when the job queue starts', async () => {
    const tenancy = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-04-01' });
    const config = loadConfig({
      NODE_ENV: 'test',
      JOBS_ENABLED: 'true',
      JOBS_POLL_SECONDS: '0.5',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      REVIEW_ANNUAL_CRON: 'off',
      REVIEW_QUARTERLY_CRON: 'off',
      REVIEW_DAILY_CRON: 'off',
      SPOT_CHECK_CRON: 'off',
    });
    const jobs = new Jobs(t.database, config, createLogger('silent'), () => new Date(`${TEST_TODAY}T09:00:00`));
    await jobs.start();
    try {
      const deadline = Date.now() + 30_000;
      while ((await ledgerOf(t.database.db, tenancy)).length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await jobs.stop(5_000);
    }
    expect((await ledgerOf(t.database.db, tenancy)).map((l) => l.month)).toEqual(['04', '05', '06', '07', '08', '09', '10', '11'].map((m) => `2026-${m}-01`));
  });
});

describe('payments', () => {
  let household: number;
  let tenancy: number;
  beforeAll(async () => {
    household = await registerIn(t, 'KC-KCZ');
    tenancy = await tenancyFor(t, household, { startDate: '2026-09-10', monthlyRent: 270 });
    await chargeRent(t.database.db, TEST_TODAY, [tenancy]);
  });

  it('pays the oldest months owing first, or the month named; arrears follow the real ledger', async () => {
    const first = await t.as(CASEWORKER).gql(PAY, { input: { tenancyId: String(tenancy), amount: 400, paidOn: '2026-11-02', reference: 'BANK-0001' } });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.recordRentPayment).toMatchObject({
      amount: 400,
      reference: 'BANK-0001',
      allocation: [
        { month: '2026-09-01', amount: 270 },
        { month: '2026-10-01', amount: 130 },
      ],
      imported: false,
      recordedBy: 'caseworker@kcz',
    });
    let view = await tenancyView(household);
    expect(view.arrears).toEqual({ monthsUnpaid: 2, amountOutstanding: 410, oldestUnpaidMonth: '2026-10-01' });

    const named = await t.gql(PAY, { input: { tenancyId: String(tenancy), amount: 270, paidOn: '2026-11-20', reference: 'COUNTER-77', month: '2026-11-15' } });
    expect(named.body.data.recordRentPayment.allocation).toEqual([{ month: '2026-11-01', amount: 270 }]);
    view = await tenancyView(household);
    expect(view.arrears).toEqual({ monthsUnpaid: 1, amountOutstanding: 140, oldestUnpaidMonth: '2026-10-01' });
    expect(
      view.rentLedger.map((l: { month: string; amountPaid: number; paidOn: string | null; unpaid: boolean }) => [l.month, l.amountPaid, l.paidOn, l.unpaid]),
    ).toEqual([
      ['2026-09-01', 270, '2026-11-02', false],
      ['2026-10-01', 130, '2026-11-02', true],
      ['2026-11-01', 270, '2026-11-20', false],
    ]);
    expect(view.payments.map((p: { reference: string }) => p.reference)).toEqual(['BANK-0001', 'COUNTER-77']);

    // the exact amount still owed is accepted; one fen more is not
    const over = await t.gql(PAY, { input: { tenancyId: String(tenancy), amount: 140.01, paidOn: '2026-11-21', reference: 'BANK-0002' } });
    expect(errorOf(over)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    const exact = await t.gql(PAY, { input: { tenancyId: String(tenancy), amount: 140, paidOn: '2026-11-21', reference: 'BANK-0002' } });
    expect(exact.body.errors).toBeUndefined();
    expect((await tenancyView(household)).arrears.monthsUnpaid).toBe(0);
  });

  it('records a reference once: CONFLICT naming input.reference, nothing written', async () => {
    const before = await rentSnapshot(t.database.db);
    const res = await t.gql(PAY, { input: { tenancyId: String(tenancy), amount: 1, paidOn: '2026-11-21', reference: 'BANK-0001' } });
    expect(errorOf(res)).toMatchObject({ code: 'CONFLICT', field: 'input.reference' });
    expect(await rentSnapshot(t.database.db)).toEqual(before);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const other = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-10-01', monthlyRent: 100 });
    await chargeRent(t.database.db, TEST_TODAY, [other]);
    const before = await rentSnapshot(t.database.db);
    const base = { tenancyId: String(other), amount: 50, paidOn: '2026-11-01', reference: 'BAD-1' };
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: 0 }, 'input.amount'],
      [{ amount: -5 }, 'input.amount'],
      [{ amount: 10.005 }, 'input.amount'],
      [{ amount: 200.01 }, 'input.amount'],
      [{ paidOn: '2026-11-24' }, 'input.paidOn'],
      [{ reference: '   ' }, 'input.reference'],
      [{ tenancyId: '999999' }, 'input.tenancyId'],
      [{ tenancyId: 'abc' }, 'input.tenancyId'],
      [{ month: '2027-01-01' }, 'input.month'],
      [{ month: '2026-10-01', amount: 100.5 }, 'input.amount'],
    ];
    for (const [change, field] of cases) {
      const res = await t.gql(PAY, { input: { ...base, ...change } });
      expect(errorOf(res), JSON.stringify(change)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    // a month paid in full takes nothing more
    expect((await t.gql(PAY, { input: { ...base, reference: 'OK-OCT', amount: 100, month: '2026-10-01' } })).body.errors).toBeUndefined();
    const full = await t.gql(PAY, { input: { ...base, reference: 'BAD-2', month: '2026-10-01' } });
    expect(errorOf(full)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.month' });
    const after = await rentSnapshot(t.database.db);
    expect((after['payments'] as unknown[]).length).toBe((before['payments'] as unknown[]).length + 1);
  });

  it('concurrent payments on one tenancy each get their own months; the same reference twice at once is recorded once', async () => {
    const busy = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-07-01', monthlyRent: 100 });
    const pay = (reference: string, amount = 50) => t.gql(PAY, { input: { tenancyId: String(busy), amount, paidOn: '2026-11-02', reference } });
    const results = await Promise.all([
      pay('RACE-1'),
      pay('RACE-2'),
      pay('RACE-3'),
      pay('RACE-4'),
      pay('RACE-5'),
      pay('RACE-5'),
      t.gql(DECIDE, {
        input: {
          tenancyId: String(busy),
          kind: 'REDUCTION',
          ground: 'MAJOR_ILLNESS',
          monthlyRent: 80,
          effectiveFrom: '2026-10-01',
          evidence: '诊断证明 2026-77',
          reason: 'hospital certificate',
        },
      }),
    ]);
    const codes = results.map((r) => errorOf(r)?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(6);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(1);
    const ledger = await ledgerOf(t.database.db, busy);
    expect(ledger.reduce((sum, l) => sum + l.paid, 0)).toBe(250);
    const [paid] = await selectRows<{ total: number }>(t.database.db, sql`select sum(amount)::float8 as total from rent_payments where tenancy_id = ${busy}`);
    expect(paid!.total).toBe(250);
    expect(ledger.every((l) => l.paid <= l.due)).toBe(true);
  });

  it('takes rent owed by an ended tenancy (KC-36)', async () => {
    const ended = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-05-01', endDate: '2026-06-30', monthlyRent: 80 });
    const res = await t.gql(PAY, { input: { tenancyId: String(ended), amount: 160, paidOn: '2026-11-10', reference: 'EXIT-SETTLE-1' } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.recordRentPayment.allocation).toEqual([
      { month: '2026-05-01', amount: 80 },
      { month: '2026-06-01', amount: 80 },
    ]);
  });

  it('a caseworker of KC-KCZ may not record a payment on a KC-LXM tenancy', async () => {
    const lxm = await tenancyFor(t, await registerIn(t, 'KC-LXM'), { startDate: '2026-10-01' });
    await chargeRent(t.database.db, TEST_TODAY, [lxm]);
    const before = await rentSnapshot(t.database.db);
    const res = await t.as(CASEWORKER).gql(PAY, { input: { tenancyId: String(lxm), amount: 10, paidOn: '2026-11-01', reference: 'LXM-1' } });
    expect(errorOf(res)?.code).toBe('FORBIDDEN');
    expect(res.body.errors?.[0]?.message).toBe('forbidden');
    expect(await rentSnapshot(t.database.db)).toEqual(before);
  });
});

describe('payment files', () => {
  let tenancy: number;
  beforeAll(async () => {
    tenancy = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-08-01', monthlyRent: 200 });
    await chargeRent(t.database.db, TEST_TODAY, [tenancy]);
    expect(
      (await t.gql(PAY, { input: { tenancyId: String(tenancy), amount: 10, paidOn: '2026-08-03', reference: 'SEEN-BEFORE' } })).body.errors,
    ).toBeUndefined();
  });

  it('keeps the good records and names each bad one; a replay writes nothing', async () => {
    const payments = [
      { tenancyId: String(tenancy), amount: 190, paidOn: '2026-09-01', reference: 'F1-A' },
      { tenancyId: '999999', amount: 10, paidOn: '2026-09-01', reference: 'F1-B' },
      { tenancyId: String(tenancy), amount: 10, paidOn: '2026-09-01', reference: 'SEEN-BEFORE' },
      { tenancyId: String(tenancy), amount: 10, paidOn: '2026-09-01', reference: 'F1-A' },
      { tenancyId: String(tenancy), amount: 5000, paidOn: '2026-09-01', reference: 'F1-C' },
      { tenancyId: String(tenancy), amount: 10, paidOn: '2027-01-01', reference: 'F1-D' },
      { tenancyId: String(tenancy), amount: 200, paidOn: '2026-10-02', reference: 'F1-E', month: '2026-10-01' },
    ];
    const res = await t.gql(IMPORT, { k: 'bank-2026-11-a', p: payments });
    expect(res.body.errors).toBeUndefined();
    const result = res.body.data.importRentPayments;
    expect(result).toMatchObject({ status: 'PARTIAL', replayed: false, received: 7, accepted: 2, rejected: 5 });
    expect(result.errors.map((e: { index: number; field: string }) => [e.index, e.field])).toEqual([
      [1, 'tenancyId'],
      [2, 'reference'],
      [3, 'reference'],
      [4, 'amount'],
      [5, 'paidOn'],
    ]);
    const ledger = await ledgerOf(t.database.db, tenancy);
    expect(ledger.map((l) => [l.month, l.paid])).toEqual([
      ['2026-08-01', 200],
      ['2026-09-01', 0],
      ['2026-10-01', 200],
      ['2026-11-01', 0],
    ]);
    const [linked] = await selectRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from rent_payments where batch_id is not null and reference in ('F1-A', 'F1-E')`,
    );
    expect(linked!.n).toBe(2);

    const before = await rentSnapshot(t.database.db);
    const replay = await t.gql(IMPORT, { k: 'bank-2026-11-a', p: payments });
    expect(replay.body.data.importRentPayments).toMatchObject({ replayed: true, accepted: 2 });
    expect(await rentSnapshot(t.database.db)).toEqual(before);
  });

  it('ALL_OR_NOTHING refuses the file whole when one record is bad', async () => {
    const before = await rentSnapshot(t.database.db);
    const res = await t.gql(IMPORT, {
      k: 'bank-2026-11-b',
      m: 'ALL_OR_NOTHING',
      p: [
        { tenancyId: String(tenancy), amount: 50, paidOn: '2026-11-01', reference: 'F2-A' },
        { tenancyId: String(tenancy), amount: 50, paidOn: '2026-11-01', reference: 'F2-A' },
      ],
    });
    expect(res.body.data.importRentPayments).toMatchObject({ status: 'REFUSED', accepted: 0, errors: [{ index: 1, field: 'reference' }] });
    expect(await rentSnapshot(t.database.db)).toEqual(before);
  });

  it('POST /imports/rent-payments takes a CSV file; only managers and admins may send one', async () => {
    const csv = `tenancyId,amount,paidOn,reference,month\n${tenancy},200,2026-11-05,CSV-1,2026-11-01\n${tenancy},abc,2026-11-05,CSV-2,\n`;
    const post = (auth: string) =>
      fetch(`${t.url.replace(/\/graphql$/, '')}/imports/rent-payments?batchKey=csv-1`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'text/csv' },
        body: csv,
      });
    const denied = await post(`Bearer ${await t.as(CASEWORKER).token}`);
    expect(denied.status).toBe(403);
    const res = await post(`Bearer ${await t.as(CALLERS['MANAGER']!).token}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; accepted: number; errors: { index: number; field: string }[] };
    expect(body).toMatchObject({ status: 'PARTIAL', accepted: 1, errors: [{ index: 1, field: 'amount' }] });
    expect((await ledgerOf(t.database.db, tenancy)).find((l) => l.month === '2026-11-01')?.paid).toBe(200);
  });
});

describe('reductions and waivers (KC-17)', () => {
  let household: number;
  let tenancy: number;
  const decide = (input: Record<string, unknown>) =>
    t.as(CALLERS['MANAGER']!).gql(DECIDE, {
      input: {
        tenancyId: String(tenancy),
        ground: 'SEVERE_DISABILITY',
        evidence: '残疾证 1308270001',
        reason: 'grade-1 disability certificate presented',
        ...input,
      },
    });

  beforeAll(async () => {
    household = await registerIn(t, 'KC-KCZ');
    tenancy = await tenancyFor(t, household, { startDate: '2026-08-01', monthlyRent: 270 });
    await chargeRent(t.database.db, TEST_TODAY, [tenancy]);
    // August paid in full, September partly
    expect(
      (await t.gql(PAY, { input: { tenancyId: String(tenancy), amount: 270 + 150, paidOn: '2026-09-05', reference: 'ADJ-PAY-1' } })).body.errors,
    ).toBeUndefined();
  });

  it('re-prices the months from the decision that are not settled, and charges later months at the decided rent', async () => {
    const res = await decide({ kind: 'REDUCTION', monthlyRent: 100, effectiveFrom: '2026-09-01' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.decideRentAdjustment).toMatchObject({
      kind: 'REDUCTION',
      monthlyRent: 100,
      effectiveFrom: '2026-09-01',
      effectiveTo: null,
      decidedBy: 'manager@test',
      revoked: false,
    });
    // August was paid in full at 270: settled. September had 150 paid: settled at what was paid.
    expect((await ledgerOf(t.database.db, tenancy)).map((l) => [l.month, l.due, l.paid])).toEqual([
      ['2026-08-01', 270, 270],
      ['2026-09-01', 150, 150],
      ['2026-10-01', 100, 0],
      ['2026-11-01', 100, 0],
    ]);
    const view = await tenancyView(household);
    expect(view.currentRent).toBe(100);
    expect(view.arrears).toEqual({ monthsUnpaid: 2, amountOutstanding: 200, oldestUnpaidMonth: '2026-10-01' });
  });

  it('a later waiver ends the reduction; revoking the waiver brings the reduction back', async () => {
    const waiver = await decide({ kind: 'WAIVER', ground: 'EXTREME_HARDSHIP', effectiveFrom: '2026-11-01', evidence: '低保证 KC-2026-118' });
    expect(waiver.body.errors).toBeUndefined();
    expect(waiver.body.data.decideRentAdjustment.monthlyRent).toBe(0);
    let view = await tenancyView(household);
    expect(view.adjustments.map((a: { kind: string; effectiveTo: string | null }) => [a.kind, a.effectiveTo])).toEqual([
      ['REDUCTION', '2026-11-01'],
      ['WAIVER', null],
    ]);
    expect(view.currentRent).toBe(0);
    expect((await ledgerOf(t.database.db, tenancy)).find((l) => l.month === '2026-11-01')!.due).toBe(0);
    // next month is charged at the waiver
    await chargeRent(t.database.db, '2026-12-03', [tenancy]);
    expect((await ledgerOf(t.database.db, tenancy)).find((l) => l.month === '2026-12-01')!.due).toBe(0);

    const revoked = await t.gql(REVOKE, {
      input: { adjustmentId: waiver.body.data.decideRentAdjustment.id, reason: 'certificate withdrawn by civil affairs' },
    });
    expect(revoked.body.data.revokeRentAdjustment).toMatchObject({ revoked: true, revokedBy: 'admin@test' });
    view = await tenancyView(household);
    expect(view.adjustments.map((a: { kind: string; effectiveTo: string | null; revoked: boolean }) => [a.kind, a.effectiveTo, a.revoked])).toEqual([
      ['REDUCTION', null, false],
      ['WAIVER', null, true],
    ]);
    expect((await ledgerOf(t.database.db, tenancy)).filter((l) => l.month >= '2026-11-01').map((l) => l.due)).toEqual([100, 100]);

    const twice = await t.gql(REVOKE, { input: { adjustmentId: waiver.body.data.decideRentAdjustment.id, reason: 'again' } });
    expect(errorOf(twice)).toMatchObject({ code: 'CONFLICT', field: 'input.adjustmentId' });
  });

  it('revoking a decision restores only what it cut short: a decision that was to end there anyway stays ended', async () => {
    const own = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-01-01', monthlyRent: 270 });
    const on = (input: Record<string, unknown>) =>
      t
        .as(CALLERS['MANAGER']!)
        .gql(DECIDE, { input: { tenancyId: String(own), ground: 'MAJOR_ILLNESS', evidence: '诊断证明 2026-07', reason: 'treatment', ...input } });
    const view = async () =>
      (await t.database.db.select().from(rentAdjustments).where(eq(rentAdjustments.tenancyId, own)).orderBy(rentAdjustments.id)).map((a) => [
        a.monthlyRent,
        a.effectiveTo,
        a.revokedAt !== null,
        a.revokeReason,
      ]);
    // a reduction decided for March to June, then another from June: adjacent, nothing cut short
    expect((await on({ kind: 'REDUCTION', monthlyRent: 200, effectiveFrom: '2026-03-01', effectiveTo: '2026-06-01' })).body.errors).toBeUndefined();
    const adjacent = await on({ kind: 'REDUCTION', monthlyRent: 150, effectiveFrom: '2026-06-01' });
    expect(
      (await t.gql(REVOKE, { input: { adjustmentId: adjacent.body.data.decideRentAdjustment.id, reason: 'decided in error' } })).body.errors,
    ).toBeUndefined();
    expect(await view()).toEqual([
      [200, '2026-06-01', false, null],
      [150, null, true, 'decided in error'],
    ]);
    // an open-ended waiver from August is cut short by a reduction from October; revoking that reduction lets the waiver run on
    const waiver = await on({ kind: 'WAIVER', effectiveFrom: '2026-08-01' });
    const cut = await on({ kind: 'REDUCTION', monthlyRent: 100, effectiveFrom: '2026-10-01' });
    expect(
      (
        await t.database.db
          .select()
          .from(rentAdjustments)
          .where(eq(rentAdjustments.id, Number(waiver.body.data.decideRentAdjustment.id)))
      )[0]!.effectiveTo,
    ).toBe('2026-10-01');
    expect(
      (await t.gql(REVOKE, { input: { adjustmentId: cut.body.data.decideRentAdjustment.id, reason: 'certificate expired' } })).body.errors,
    ).toBeUndefined();
    expect((await view()).slice(2)).toEqual([
      [0, null, false, null],
      [100, null, true, 'certificate expired'],
    ]);
  });

  it('refuses a decision from a month a later decision already covers', async () => {
    const before = await rentSnapshot(t.database.db);
    const res = await decide({ kind: 'REDUCTION', monthlyRent: 50, effectiveFrom: '2026-08-01' });
    expect(errorOf(res)).toMatchObject({ code: 'CONFLICT', field: 'input.effectiveFrom' });
    expect(await rentSnapshot(t.database.db)).toEqual(before);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await rentSnapshot(t.database.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'REDUCTION', monthlyRent: 270, effectiveFrom: '2026-12-01' }, 'input.monthlyRent'],
      [{ kind: 'REDUCTION', monthlyRent: 269.99, effectiveFrom: '2026-12-15' }, 'input.effectiveFrom'],
      [{ kind: 'REDUCTION', effectiveFrom: '2026-12-01' }, 'input.monthlyRent'],
      [{ kind: 'REDUCTION', monthlyRent: -1, effectiveFrom: '2026-12-01' }, 'input.monthlyRent'],
      [{ kind: 'WAIVER', monthlyRent: 50, effectiveFrom: '2026-12-01' }, 'input.monthlyRent'],
      [{ kind: 'WAIVER', effectiveFrom: '2026-07-01' }, 'input.effectiveFrom'],
      [{ kind: 'WAIVER', effectiveFrom: '2026-12-01', effectiveTo: '2026-12-01' }, 'input.effectiveTo'],
      [{ kind: 'WAIVER', effectiveFrom: '2026-12-01', evidence: ' ' }, 'input.evidence'],
      [{ kind: 'WAIVER', effectiveFrom: '2026-12-01', reason: '' }, 'input.reason'],
      [{ kind: 'WAIVER', effectiveFrom: '2026-12-01', tenancyId: '999999' }, 'input.tenancyId'],
    ];
    for (const [input, field] of cases) {
      const res = await t.gql(DECIDE, {
        input: { tenancyId: String(tenancy), ground: 'MAJOR_ILLNESS', evidence: '诊断证明', reason: 'hospital certificate', ...input },
      });
      expect(errorOf(res), JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const revoke = await t.gql(REVOKE, { input: { adjustmentId: '999999', reason: 'x' } });
    expect(errorOf(revoke)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.adjustmentId' });
    const noReason = await t.gql(REVOKE, { input: { adjustmentId: '1', reason: '' } });
    expect(errorOf(noReason)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(before).toEqual(await rentSnapshot(t.database.db));
  });

  it('a caseworker of KC-KCZ may not decide or revoke on a KC-LXM tenancy', async () => {
    const lxm = await tenancyFor(t, await registerIn(t, 'KC-LXM'), { startDate: '2026-10-01' });
    const before = await rentSnapshot(t.database.db);
    const res = await t
      .as(CASEWORKER)
      .gql(DECIDE, { input: { tenancyId: String(lxm), kind: 'WAIVER', ground: 'OTHER', effectiveFrom: '2026-11-01', evidence: 'e', reason: 'r' } });
    expect(errorOf(res)?.code).toBe('FORBIDDEN');
    expect(await rentSnapshot(t.database.db)).toEqual(before);
  });
});

describe('each role × each rent operation: allowed, or FORBIDDEN', () => {
  let own: number;
  let adjustment: string;
  beforeAll(async () => {
    own = await tenancyFor(t, await registerIn(t, 'KC-KCZ'), { startDate: '2026-11-01' });
    const res = await t.gql(DECIDE, {
      input: { tenancyId: String(own), kind: 'WAIVER', ground: 'OTHER', effectiveFrom: '2026-11-01', evidence: 'e', reason: 'r' },
    });
    adjustment = res.body.data.decideRentAdjustment.id;
  });

  // inputs that pass access control and are then refused as bad input: the matrix writes nothing
  const OPERATIONS: { name: string; query: string; variables: () => Record<string, unknown>; allowed: string[] }[] = [
    { name: 'chargeRent', query: 'mutation { chargeRent { created } }', variables: () => ({}), allowed: ['ADMIN', 'MANAGER'] },
    {
      name: 'recordRentPayment (own district)',
      query: PAY,
      variables: () => ({ input: { tenancyId: String(own), amount: -1, paidOn: '2026-11-01', reference: 'M' } }),
      allowed: ['ADMIN', 'MANAGER', 'CASEWORKER'],
    },
    { name: 'importRentPayments', query: IMPORT, variables: () => ({ k: 'matrix', p: [] }), allowed: ['ADMIN', 'MANAGER'] },
    {
      name: 'decideRentAdjustment',
      query: DECIDE,
      variables: () => ({ input: { tenancyId: String(own), kind: 'WAIVER', ground: 'OTHER', effectiveFrom: '2026-11-15', evidence: 'e', reason: 'r' } }),
      allowed: ['ADMIN', 'MANAGER'],
    },
    { name: 'revokeRentAdjustment', query: REVOKE, variables: () => ({ input: { adjustmentId: adjustment, reason: '' } }), allowed: ['ADMIN', 'MANAGER'] },
  ];
  for (const op of OPERATIONS) {
    for (const role of Object.keys(CALLERS)) {
      const allowed = op.allowed.includes(role);
      it(`${op.name}: ${role} ${allowed ? 'allowed' : 'FORBIDDEN'}`, async () => {
        const res = await t.as(CALLERS[role]!).gql(op.query, op.variables());
        expect(errorOf(res)?.code === 'FORBIDDEN').toBe(!allowed);
      });
    }
  }
});
