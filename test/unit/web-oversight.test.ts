// The oversight screens' logic without a browser: the audit filter from the address, and which
// criteria the exception panel offers to waive.
import { describe, expect, it } from 'vitest';
import { auditFilterOf } from '../../web/src/pages/audit/filter.js';
import { waivable } from '../../web/src/pages/household/panels/waivable.js';

describe('auditFilterOf', () => {
  it('keeps the text filters given, trimmed, and leaves out the empty ones', () => {
    expect(auditFilterOf(new URLSearchParams('actor=%20cw%40kcz%20&action=&householdId=12&subject=%20'))).toEqual({ actor: 'cw@kcz', householdId: '12' });
  });

  it('reads dates as whole days in the local time zone, both ends included', () => {
    const filter = auditFilterOf(new URLSearchParams('from=2026-11-01&to=2026-11-23'));
    expect(new Date(filter['from']!).getTime()).toBe(new Date(2026, 10, 1, 0, 0, 0, 0).getTime());
    expect(new Date(filter['to']!).getTime()).toBe(new Date(2026, 10, 23, 23, 59, 59, 999).getTime());
    expect(auditFilterOf(new URLSearchParams(''))).toEqual({});
  });
});

describe('waivable', () => {
  it('offers only the criteria a policy flags EXCEPTION_ALLOWED.<criterion> = 1', () => {
    const policies = [
      {
        id: 'KC',
        name: 'Kuancheng',
        parameters: [
          { code: 'EXCEPTION_ALLOWED.HOUSEHOLD_SIZE', value: 1 },
          { code: 'EXCEPTION_ALLOWED.INCOME', value: 0 },
          { code: 'INCOME', value: 1 },
        ],
      },
      { id: 'GY', name: 'Guiyang', parameters: [{ code: 'EXCEPTION_ALLOWED.AGE', value: 1 }] },
    ];
    expect(waivable(policies)).toEqual([
      { policyId: 'KC', policyName: 'Kuancheng', criterion: 'HOUSEHOLD_SIZE' },
      { policyId: 'GY', policyName: 'Guiyang', criterion: 'AGE' },
    ]);
    expect(waivable([])).toEqual([]);
  });
});
