// What an alert may carry, by who receives it. Bureau staff (ADMIN, MANAGER, CASEWORKER, AUDITOR)
// see the whole alert. Systems outside the bureau (ALERT_CONSUMER callers, subscriptions of such
// callers, and every webhook) see what to act on and where, never the facts behind it: no plates,
// addresses, business names, incomes or dates of death in the summary, the period cut to its key
// and resident IDs masked. The details stay in the hub, behind the bureau roles and the audit log.
import type { Role } from '../auth/caller.js';
import { maskResidentIdsIn } from '../domain/resident-id.js';

const BUREAU_ROLES: ReadonlySet<Role> = new Set<Role>(['ADMIN', 'MANAGER', 'CASEWORKER', 'AUDITOR']);

export const seesAlertDetails = (role: Role | undefined | null) => !!role && BUREAU_ROLES.has(role);

interface AlertFacts {
  rule: string;
  article: string;
  action: string;
}

/** the rule's own words: the same for every household it flags */
export const outsideSummary = (a: AlertFacts) => `${a.rule} (${a.article}): ${a.action}`;

/** a period's key without the value measured ("LOCAL.VEHICLE_PRICE:238000" → "LOCAL.VEHICLE_PRICE"), IDs masked */
export const outsidePeriod = (period: string) => maskResidentIdsIn(period.split(':')[0]!);
