import { describe, expect, it } from 'vitest';
import { summarizeArrears } from '../src/households/arrears.js';

const line = (month: string, due: number, paid: number) => ({ month, amountDue: due, amountPaid: paid });

describe('rent arrears (KC-19(2): months unpaid in total)', () => {
  it('counts unpaid months in total, not only consecutive ones', () => {
    const ledger = [
      line('2026-01-01', 100, 0),
      line('2026-02-01', 100, 100),
      line('2026-03-01', 100, 0),
      line('2026-04-01', 100, 0),
      line('2026-05-01', 100, 100),
      line('2026-06-01', 100, 0),
      line('2026-07-01', 100, 0),
      line('2026-08-01', 100, 0),
    ];
    expect(summarizeArrears(ledger, '2026-11-23')).toEqual({
      monthsUnpaid: 6,
      amountOutstanding: 600,
      oldestUnpaidMonth: '2026-01-01',
    });
  });

  it('counts a partly paid month as unpaid and sums the exact shortfall', () => {
    expect(summarizeArrears([line('2026-10-01', 80.3, 80.2)], '2026-11-23')).toEqual({
      monthsUnpaid: 1,
      amountOutstanding: 0.1,
      oldestUnpaidMonth: '2026-10-01',
    });
  });

  it('does not count a month that has not begun', () => {
    expect(summarizeArrears([line('2026-12-01', 100, 0)], '2026-11-30').monthsUnpaid).toBe(0);
    expect(summarizeArrears([line('2026-12-01', 100, 0)], '2026-12-01').monthsUnpaid).toBe(1);
  });
});
