import { deposit } from '../../connectors/provident-fund/index.js';
import { describeKind } from './kind-check.js';

describeKind(
  deposit,
  [
    { change: { base: -1 }, field: 'base', reason: 'must not be negative' },
    { change: { month: '2026-1' }, field: 'month', reason: 'must be a month YYYY-MM' },
    { change: { employer: 'x'.repeat(201) }, field: 'employer', reason: 'at most 200 characters' },
  ],
  { asOf: '2026-10-01' },
);
