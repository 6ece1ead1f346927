// The work a person does on one household, each a panel on its profile (application stages, rent,
// subsidy, special difficulties, exceptions, exit cases…): one line here per panel, shown to the
// roles listed (the API still decides). A panel gets the household's id and refetches what it changed.
import type { ComponentType } from 'react';
import type { Role } from '../../../session';
import { ApplicationPanel } from './ApplicationPanel';
import { ExitCasePanel } from './ExitCasePanel';
import { RentPanel } from './RentPanel';
import { SubsidyPanel } from './SubsidyPanel';
import { DifficultyPanel } from './DifficultyPanel';
import { ExceptionPanel } from './ExceptionPanel';

export interface PanelProps {
  householdId: string;
  /** asks the profile to reload after the panel changed something */
  onChanged(): void;
}

export interface HouseholdPanel {
  key: string;
  roles: Role[];
  component: ComponentType<PanelProps>;
}

export const HOUSEHOLD_PANELS: HouseholdPanel[] = [
  { key: 'application', roles: ['ADMIN', 'MANAGER', 'CASEWORKER'], component: ApplicationPanel },
  { key: 'rent', roles: ['ADMIN', 'MANAGER', 'CASEWORKER'], component: RentPanel },
  { key: 'subsidy', roles: ['ADMIN', 'MANAGER', 'CASEWORKER'], component: SubsidyPanel },
  { key: 'difficulties', roles: ['ADMIN', 'MANAGER', 'CASEWORKER'], component: DifficultyPanel },
  { key: 'exceptions', roles: ['ADMIN', 'MANAGER', 'CASEWORKER'], component: ExceptionPanel },
  { key: 'exit-cases', roles: ['ADMIN', 'MANAGER', 'CASEWORKER'], component: ExitCasePanel },
];
