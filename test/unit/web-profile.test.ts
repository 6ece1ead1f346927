// The household profile's own logic (web/src/pages/household/profile.ts): each agency's freshness badge,
// vacant months in utility readings, the timeline's order, which tenancy the profile shows.
import { describe, expect, it } from 'vitest';
import {
  agencyState,
  ledgerSeries,
  mainTenancy,
  timelineOf,
  unavailableAgencies,
  utilityMonths,
  type Evidence,
  type Profile,
  type Reading,
  type Tenancy,
} from '../../web/src/pages/household/profile.js';

const TODAY = '2026-11-23';
const evidence = (agency: string, asOf: string | null, stale: boolean): Evidence => ({
  agency,
  asOf,
  stale,
  record: null,
  kind: null,
  ageDays: null,
  source: 'FEED',
});
const record = (asOf: string) => ({ asOf, source: 'FEED' as const });

describe('agency freshness', () => {
  it('is unavailable when the API said the agency could not be reached, whatever else is known', () => {
    expect(
      agencyState('public-security', [record(TODAY)], [evidence('public-security', TODAY, false)], new Set(['public-security']), 90, TODAY).freshness,
    ).toBe('UNAVAILABLE');
  });

  it('follows the API’s judgement of the evidence: no as-of date is missing, stale is stale, else fresh', () => {
    expect(agencyState('civil-affairs', [record(TODAY)], [evidence('civil-affairs', null, true)], new Set(), 400, TODAY).freshness).toBe('MISSING');
    expect(agencyState('public-security', [record('2026-07-26')], [evidence('public-security', '2026-07-26', true)], new Set(), 90, TODAY).freshness).toBe(
      'STALE',
    );
    // the API's verdict, not the client's arithmetic: 120 days is fresh for civil affairs (400)
    const fresh = agencyState('civil-affairs', [record('2026-07-26')], [evidence('civil-affairs', '2026-07-26', false)], new Set(), 90, TODAY);
    expect(fresh).toEqual({ agency: 'civil-affairs', freshness: 'FRESH', asOf: '2026-07-26', ageDays: 120, sources: ['FEED'] });
    // no record, but the agency declared the kind complete: fresh, as of that declaration
    expect(agencyState('real-estate', [], [evidence('real-estate', '2026-11-20', false)], new Set(), 90, TODAY)).toMatchObject({
      freshness: 'FRESH',
      asOf: '2026-11-20',
      ageDays: 3,
    });
    // another agency's evidence says nothing of this one
    expect(agencyState('utilities', [], [evidence('civil-affairs', TODAY, false)], new Set(), undefined, TODAY).freshness).toBe('MISSING');
  });

  it('judges an agency no criterion reads on its records and its EVIDENCE_MAX_AGE_DAYS', () => {
    expect(agencyState('utilities', [record('2026-10-01'), record('2026-11-01')], [], new Set(), 30, TODAY)).toMatchObject({
      freshness: 'FRESH',
      asOf: '2026-11-01',
      ageDays: 22,
    });
    expect(agencyState('utilities', [record('2026-10-01')], [], new Set(), 30, TODAY).freshness).toBe('STALE');
    expect(agencyState('utilities', [record('2020-01-01')], [], new Set(), undefined, TODAY).freshness).toBe('FRESH');
  });

  it('reads the unavailable agencies from AGENCY_UNAVAILABLE errors: their agency, else the field in the path', () => {
    const errors = [
      { path: ['household', 'members', 0, 'hukou'], extensions: { code: 'AGENCY_UNAVAILABLE', agency: 'public-security' } },
      { path: ['household', 'tenancies', 0, 'unit', 'utilityUse'], extensions: { code: 'AGENCY_UNAVAILABLE' } },
      { path: ['household', 'members', 0, 'incomes'], extensions: { code: 'FORBIDDEN' } },
    ];
    expect([...unavailableAgencies(errors)].sort()).toEqual(['public-security', 'utilities']);
  });
});

describe('utility months', () => {
  const limits = [
    { code: 'VACANCY.WATER_MAX', value: 0.5 },
    { code: 'VACANCY.ELECTRICITY_MAX', value: 5 },
    { code: 'VACANCY.GAS_MAX', value: 0.5 },
  ];
  const read = (month: string, water: number, power: number, gas?: number): Reading[] => [
    { month: `${month}-01`, kind: 'WATER', quantity: water, unit: 'm3', asOf: TODAY, source: 'FEED' },
    { month: `${month}-01`, kind: 'ELECTRICITY', quantity: power, unit: 'kWh', asOf: TODAY, source: 'FEED' },
    ...(gas === undefined ? [] : [{ month: `${month}-01`, kind: 'GAS' as const, quantity: gas, unit: 'm3', asOf: TODAY, source: 'FEED' as const }]),
  ];

  it('marks a month vacant only when every kind was read and is at or under its limit, oldest month first', () => {
    const months = utilityMonths(
      [...read('2026-09', 0.1, 5, 0), ...read('2026-07', 6, 140, 12), ...read('2026-08', 0.5, 6, 0), ...read('2026-10', 0, 0)],
      limits,
    );
    expect(months.map((m) => [m.month, m.vacant])).toEqual([
      ['2026-07', false],
      ['2026-08', false], // electricity over its limit
      ['2026-09', true],
      ['2026-10', false], // no gas reading: not evidence of vacancy
    ]);
    expect(months[0]).toMatchObject({ WATER: 6, ELECTRICITY: 140, GAS: 12 });
  });

  it('marks nothing without the policy’s limits', () => {
    expect(utilityMonths(read('2026-09', 0, 0, 0), []).some((m) => m.vacant)).toBe(false);
  });
});

describe('timeline and tenancy', () => {
  const tenancy = (id: string, startDate: string, endDate: string | null): Tenancy => ({
    id,
    startDate,
    endDate,
    endReason: endDate ? 'RENT_ARREARS' : null,
    monthlyRent: 270,
    rentStandard: 'STANDARD',
    unit: { id: `u${id}`, address: `unit ${id}`, floorArea: 45, utilityUse: [] },
    rentLedger: [
      { month: '2026-02-01', amountDue: 270, amountPaid: 0, paidOn: null, unpaid: true },
      { month: '2026-01-01', amountDue: 270, amountPaid: 270, paidOn: '2026-01-05', unpaid: false },
    ],
    arrears: { monthsUnpaid: 1, amountOutstanding: 270, oldestUnpaidMonth: '2026-02-01' },
  });

  it('shows the running tenancy, else the latest that ended; the ledger oldest month first', () => {
    expect(mainTenancy([tenancy('2', '2025-01-01', '2026-01-31'), tenancy('1', '2024-01-01', null)])?.id).toBe('1');
    expect(mainTenancy([tenancy('2', '2025-01-01', '2026-01-31'), tenancy('1', '2024-01-01', '2024-12-31')])?.id).toBe('2');
    expect(mainTenancy([])).toBeNull();
    expect(ledgerSeries(tenancy('1', '2024-01-01', null).rentLedger).map((e) => [e.month, e.paid, e.unpaid])).toEqual([
      ['2026-01', 270, false],
      ['2026-02', 0, true],
    ]);
  });

  it('puts every kind of event on one timeline, newest first', () => {
    const h = {
      application: { history: [{ stage: 'SUBMITTED', enteredOn: '2025-06-01', deadline: null, note: null }] },
      changes: [
        { id: '1', kind: 'MEMBER_LEFT', person: { id: '9', name: '成**' }, effectiveOn: '2026-03-01', reportedOn: '2026-05-01', daysToReport: 61, note: null },
      ],
      evaluations: [{ id: '4', verdict: 'UNKNOWN', evaluatedOn: '2026-11-23', evaluatedBy: null, policyVersion: 1 }],
      exitCases: [{ id: '3', ground: 'RENT_ARREARS', status: 'OPEN', openedOn: '2026-10-02', summary: 's', closedOn: null }],
      tenancies: [tenancy('1', '2025-12-01', null)],
    } as unknown as Profile;
    const events = timelineOf(h, [
      { id: '7', rule: 'ARREARS', article: 'KC-19(2)', severity: 'HIGH', status: 'OPEN', summary: 'x', raisedAt: '2026-10-01T08:00:00Z' },
    ]);
    expect(events.map((e) => [e.kind, e.on.slice(0, 10), e.tone])).toEqual([
      ['evaluation', '2026-11-23', 'warn'],
      ['exitCase', '2026-10-02', 'bad'],
      ['alert', '2026-10-01', 'bad'],
      ['change', '2026-03-01', 'warn'],
      ['tenancy', '2025-12-01', 'info'],
      ['application', '2025-06-01', 'info'],
    ]);
  });
});
