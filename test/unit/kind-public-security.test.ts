import { hukou, publicSecurity, vehicle } from '../../connectors/public-security/index.js';
import { describeKind } from './kind-check.js';

describeKind(hukou, [
  { change: { areaCode: '13082' }, field: 'areaCode', reason: 'must be a 6-digit area code' },
  { change: { kind: 'RURAL' }, field: 'kind', reason: /URBAN/ },
]);
describeKind(
  vehicle,
  [
    { change: { plate: 'H12345' }, field: 'plate', reason: 'must be a plate such as 冀H12345' },
    { change: { purchasePrice: -5 }, field: 'purchasePrice', reason: 'must not be negative' },
    { change: { ownerResidentId: 'x' }, field: 'ownerResidentId', reason: /^invalid resident ID/ },
  ],
  { accepted: [{ deregisteredOn: '2026-01-10' }, { deregisteredOn: undefined }] },
);
describeKind(publicSecurity.kinds.death, [{ change: { residentId: 42 }, field: 'residentId', reason: 'must be a resident ID string' }]);
