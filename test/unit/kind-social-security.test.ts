import { contract, pension } from '../../connectors/social-security/index.js';
import { describeKind } from './kind-check.js';

// a monthly series holds as of its month, stored as the month's first day
describeKind(
  pension,
  [
    { change: { month: '2026-13' }, field: 'month', reason: 'must be a month YYYY-MM' },
    { change: { month: '2026-10-01' }, field: 'month', reason: 'must be a month YYYY-MM' },
    { change: { employer: '  ' }, field: 'employer', reason: 'must not be empty' },
  ],
  { asOf: '2026-10-01' },
);
describeKind(contract, [{ change: { endDate: '2023-12-31' }, field: 'endDate', reason: 'must not be before startDate' }], { accepted: [{ endDate: null }] });
