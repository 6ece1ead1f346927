import { reading } from '../../connectors/utilities/index.js';
import { describeKind } from './kind-check.js';

describeKind(
  reading,
  [
    { change: { unit: 'm3' }, field: 'unit', reason: 'wrong unit for the kind: WATER and GAS are in m3, ELECTRICITY in kWh' },
    { change: { unitId: 0 }, field: 'unitId', reason: 'must be a housing unit id' },
    { change: { kind: 'HEAT' }, field: 'kind', reason: /WATER/ },
    { change: { quantity: -0.5 }, field: 'quantity', reason: 'must not be negative' },
  ],
  {
    asOf: '2026-10-01',
    accepted: [
      { kind: 'WATER', unit: 'm3' },
      { kind: 'GAS', unit: 'm3' },
    ],
  },
);
