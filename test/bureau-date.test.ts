// Issue 12(11): "today" is the bureau's calendar day in its time zone, everywhere; a labour contract's
// end date is its last day.
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { dayAfter, todayIso } from '../src/domain/working-days.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { qualify } from './helpers/scenario.js';

describe('the bureau’s calendar day', () => {
  it('turns at midnight in the bureau’s zone, not the server’s', () => {
    expect(todayIso(new Date('2026-11-23T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(todayIso(new Date('2026-11-23T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-24');
    expect(todayIso(new Date('2026-11-23T16:00:00Z'), 'UTC')).toBe('2026-11-23');
    expect(todayIso(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01');
  });

  it('is configured by BUREAU_TIMEZONE (default Asia/Shanghai), which the crons follow unless set apart', () => {
    expect(loadConfig({}).BUREAU_TIMEZONE).toBe('Asia/Shanghai');
    expect(loadConfig({ BUREAU_TIMEZONE: 'Asia/Urumqi' }).JOBS_TIMEZONE).toBe('Asia/Urumqi');
    expect(loadConfig({ BUREAU_TIMEZONE: 'Asia/Urumqi', JOBS_TIMEZONE: 'UTC' }).JOBS_TIMEZONE).toBe('UTC');
    expect(() => loadConfig({ BUREAU_TIMEZONE: 'Mars/Olympus' })).toThrow(/BUREAU_TIMEZONE: must be an IANA time zone/);
  });

  it('knows the day after the last of a month and of a leap February', () => {
    expect(dayAfter('2026-11-30')).toBe('2026-12-01');
    expect(dayAfter('2028-02-28')).toBe('2028-02-29');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
  });
});

describe('a request at 06:30 in Beijing (22:30 UTC the day before)', () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const t of hubs) await t.close();
  });
  const morning = () => new Date('2026-11-23T22:30:00Z');
  const ASOF = `query($asOf: Date) { policy(id: "KC") { parameters(asOf: $asOf) { code } } waitlist(districtId: "KC-KCZ", asOf: $asOf) { rank } }`;

  it('takes the Beijing date as today: asOf 2026-11-24 is accepted, 2026-11-25 is in the future', async () => {
    const t = await startTestHub({ clock: morning });
    hubs.push(t);
    const today = await t.gql(ASOF, { asOf: '2026-11-24' });
    expect(today.body.errors).toBeUndefined();
    const tomorrow = await t.gql(ASOF, { asOf: '2026-11-25' });
    expect(tomorrow.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
  });

  it('takes the UTC date when the bureau keeps UTC', async () => {
    const t = await startTestHub({ clock: morning, env: { BUREAU_TIMEZONE: 'UTC' } });
    hubs.push(t);
    const res = await t.gql(ASOF, { asOf: '2026-11-24' });
    expect(res.body.errors?.[0]?.message).toBe('asOf: must not be in the future');
  });
});

describe('a labour contract’s term counts its last day (KC-12(2)1: 1 year or more)', () => {
  let t: TestHub;
  afterAll(async () => {
    await t?.close();
  });
  const migrant = (contractStart: string, contractEnd: string) => ({ category: 'MIGRANT' as const, pensionMonths: 14, contractStart, contractEnd });

  it('2025-12-01 to 2026-11-30 is one year: PASS', async () => {
    t = await startTestHub();
    const q = await qualify(t, migrant('2025-12-01', '2026-11-30'));
    expect(q.criterion('MIGRANT.CONTRACT_YEARS')).toMatchObject({ outcome: 'PASS', actual: 1 });
  });

  it('2025-12-02 to 2026-11-30 is a day short of a year: FAIL', async () => {
    const q = await qualify(t, migrant('2025-12-02', '2026-11-30'));
    expect(q.criterion('MIGRANT.CONTRACT_YEARS')).toMatchObject({ outcome: 'FAIL', actual: 0 });
  });
});
