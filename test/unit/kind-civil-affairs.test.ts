import { allowance, civilAffairs, disability, income, marital } from '../../connectors/civil-affairs/index.js';
import { describeKind } from './kind-check.js';

describeKind(
  allowance,
  [
    { change: { status: 'POOR' }, field: 'status', reason: /MINIMUM_ALLOWANCE/ },
    { change: { since: '2025-13-01' }, field: 'since', reason: 'must be a date YYYY-MM-DD' },
    { change: { residentId: '130827197504030357' }, field: 'residentId', reason: /^invalid resident ID: wrong check character/ },
  ],
  { accepted: [{ until: null }, { until: undefined }] },
);
describeKind(income, [
  { change: { year: 1999 }, field: 'year', reason: 'must be 2000 or later' },
  { change: { annualIncome: -1 }, field: 'annualIncome', reason: 'must not be negative' },
  { change: { annualIncome: '21600' }, field: 'annualIncome', reason: 'must be a number (yuan)' },
]);
describeKind(marital, [{ change: { status: 'ENGAGED' }, field: 'status', reason: /SINGLE/ }]);
describeKind(civilAffairs.kinds.death, [{ change: { diedOn: '30/10/2026' }, field: 'diedOn', reason: 'must be a date YYYY-MM-DD' }]);
describeKind(
  disability,
  [
    { change: { grade: 5 }, field: 'grade', reason: 'must be 1 to 4' },
    { change: { grade: 1.5 }, field: 'grade', reason: 'must be a whole number' },
    { change: { category: 'OTHER' }, field: 'category', reason: /VISUAL/ },
    { change: { validUntil: '2020-01-01' }, field: 'validUntil', reason: 'must not be before issuedOn' },
    { change: { certificateNo: '' }, field: 'certificateNo', reason: 'must not be empty' },
  ],
  { accepted: [{ validUntil: null }, { grade: 4, category: 'MULTIPLE' }] },
);
