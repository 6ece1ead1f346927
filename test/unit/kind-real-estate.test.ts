import { property } from '../../connectors/real-estate/index.js';
import { describeKind } from './kind-check.js';

describeKind(
  property,
  [
    { change: { disposal: null }, field: 'disposal', reason: 'disposedOn and disposal go together' },
    { change: { disposedOn: '2020-01-01' }, field: 'disposedOn', reason: 'must not be before acquiredOn' },
    { change: { kind: 'SHOP' }, field: 'kind', reason: /HOME/ },
    { change: { floorArea: -1 }, field: 'floorArea', reason: 'must not be negative' },
  ],
  {
    accepted: [
      { disposedOn: null, disposal: null },
      { disposedOn: undefined, disposal: undefined },
    ],
  },
);
