import { business } from '../../connectors/market-regulation/index.js';
import { describeKind } from './kind-check.js';

describeKind(business, [
  { change: { registrationNo: '91130827' }, field: 'registrationNo', reason: 'must be an 18-character unified social credit code' },
  { change: { status: 'SUSPENDED' }, field: 'status', reason: /ACTIVE/ },
  { change: { registeredCapital: -1 }, field: 'registeredCapital', reason: 'must not be negative' },
  { change: { name: '' }, field: 'name', reason: 'must not be empty' },
]);
