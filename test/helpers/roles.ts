// One caller of each role, for the role × operation matrices: the CASEWORKER and ALERT_CONSUMER are
// bound to district KC-KCZ, so KC-LXM records are another district's.
import type { CallerClaims } from '../../src/auth/caller.js';

export const CALLERS: Record<string, CallerClaims> = {
  ADMIN: { sub: 'admin@test', role: 'ADMIN' },
  MANAGER: { sub: 'manager@test', role: 'MANAGER' },
  CASEWORKER: { sub: 'caseworker@kcz', role: 'CASEWORKER', districts: ['KC-KCZ'] },
  AGENCY: { sub: 'utilities-system', role: 'AGENCY', agency: 'utilities' },
  AUDITOR: { sub: 'auditor@test', role: 'AUDITOR' },
  ALERT_CONSUMER: { sub: 'alerts-bot', role: 'ALERT_CONSUMER', districts: ['KC-KCZ'] },
};
