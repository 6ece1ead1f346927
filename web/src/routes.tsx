// Every screen, its path, the navigation label and the roles that may open it (as the API allows;
// the API still decides every read). A screen not listed for a role is neither linked nor routed.
import type { ComponentType } from 'react';
import type { Role } from './session';
import { AgenciesPage } from './pages/agencies/AgenciesPage';
import { AlertsPage } from './pages/alerts/AlertsPage';
import { AllocationPage } from './pages/allocation/AllocationPage';
import { AuditPage } from './pages/audit/AuditPage';
import { CasesPage } from './pages/cases/CasesPage';
import { DistrictsPage } from './pages/districts/DistrictsPage';
import { HouseholdPage } from './pages/household/HouseholdPage';
import { HouseholdsPage } from './pages/households/HouseholdsPage';
import { RegisterPage } from './pages/households/RegisterPage';
import { RentPage } from './pages/rent/RentPage';
import { ReviewsPage } from './pages/reviews/ReviewsPage';
import { WaitlistPage } from './pages/waitlist/WaitlistPage';

export interface Screen {
  path: string;
  /** key under common.nav; absent: reached by links, not the menu */
  nav?: string;
  roles: Role[];
  component: ComponentType;
}

const BUREAU: Role[] = ['ADMIN', 'MANAGER', 'CASEWORKER'];

export const SCREENS: Screen[] = [
  { path: '/households', nav: 'households', roles: BUREAU, component: HouseholdsPage },
  { path: '/households/new', roles: BUREAU, component: RegisterPage },
  { path: '/households/:id', roles: BUREAU, component: HouseholdPage },
  { path: '/alerts', nav: 'alerts', roles: [...BUREAU, 'ALERT_CONSUMER'], component: AlertsPage },
  { path: '/waitlist', nav: 'waitlist', roles: BUREAU, component: WaitlistPage },
  { path: '/allocation', nav: 'allocation', roles: BUREAU, component: AllocationPage },
  { path: '/districts', nav: 'districts', roles: BUREAU, component: DistrictsPage },
  { path: '/rent', nav: 'rent', roles: BUREAU, component: RentPage },
  { path: '/cases', nav: 'cases', roles: BUREAU, component: CasesPage },
  { path: '/reviews', nav: 'reviews', roles: ['ADMIN', 'MANAGER'], component: ReviewsPage },
  { path: '/agencies', nav: 'agencies', roles: ['ADMIN', 'MANAGER'], component: AgenciesPage },
  // the audit log is the auditors' alone (separation of duties: an administrator does not read who read what)
  { path: '/audit', nav: 'audit', roles: ['AUDITOR'], component: AuditPage },
];

/** where a role lands after sign-in */
export function homeOf(role: Role): string {
  return SCREENS.find((s) => s.nav && s.roles.includes(role))?.path ?? '/';
}
