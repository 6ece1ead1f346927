// KC-13 procedure as data: each stage, how long it may take in working days, what follows it,
// and the household status while in it.
import type { applicationStage, householdStatus } from '../db/schema.js';

export type ApplicationStage = (typeof applicationStage.enumValues)[number];
export type HouseholdStatus = (typeof householdStatus.enumValues)[number];

interface StageRule {
  /** working days allowed for this stage; null when the stage has no deadline */
  workingDays: number | null;
  article: string | null;
  next: ApplicationStage | null;
  householdStatus: HouseholdStatus;
}

export const STAGES: Record<ApplicationStage, StageRule> = {
  SUBMITTED: { workingDays: null, article: null, next: 'PRELIMINARY_REVIEW', householdStatus: 'APPLICANT' },
  PRELIMINARY_REVIEW: { workingDays: 7, article: 'KC-13(1)', next: 'PUBLIC_NOTICE', householdStatus: 'UNDER_REVIEW' },
  PUBLIC_NOTICE: { workingDays: 3, article: 'KC-13(2)', next: 'COUNTY_REVIEW', householdStatus: 'UNDER_REVIEW' },
  COUNTY_REVIEW: { workingDays: 15, article: 'KC-13(3)', next: 'APPROVED', householdStatus: 'UNDER_REVIEW' },
  APPROVED: { workingDays: null, article: 'KC-13(4)', next: null, householdStatus: 'WAITLISTED' },
  REJECTED: { workingDays: null, article: null, next: null, householdStatus: 'APPLICANT' },
};

export function isFinalStage(stage: ApplicationStage): boolean {
  return STAGES[stage].next === null;
}
