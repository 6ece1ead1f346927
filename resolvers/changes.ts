import type { HubContext } from '../src/context.js';
import { detect } from '../src/detection/detect.js';
import { daysBetween } from '../src/domain/working-days.js';
import {
  addHouseholdMember,
  changeCurrentHousing,
  changeMemberRelation,
  recordMemberDeath,
  removeHouseholdMember,
  type ChangeResult,
} from '../src/households/changes.js';
import { maskCertificateNo, recordSpecialDifficulty, removeSpecialDifficulty } from '../src/households/difficulties.js';
import type { HouseholdChangeRow, HouseholdRow, PersonRow, QualificationExceptionRow, SpecialDifficultyRow } from '../src/households/loaders.js';
import { grantQualificationException, inForce, revokeQualificationException } from '../src/policy/exceptions.js';

type ChangeService = (db: HubContext['db'], raw: unknown, today: string, by: string) => Promise<ChangeResult>;

/** Applies the change, then runs the alert rules on the household's new state (after the commit). */
const reportedChange = (service: ChangeService) => async (_: unknown, { input }: { input: unknown }, ctx: HubContext) => {
  const result = await service(ctx.db, input, ctx.today, ctx.who);
  let alertsRaised: Awaited<ReturnType<typeof detect>> = [];
  try {
    alertsRaised = await detect(ctx.database, [result.household.id], ctx.today);
  } catch (error) {
    // the change is recorded; the daily inspection will raise what this could not
    ctx.log.warn({ err: error, householdId: result.household.id }, 'detection after a reported change failed');
  }
  return { ...result, alertsRaised };
};

export const changeResolvers = {
  Mutation: {
    addHouseholdMember: reportedChange(addHouseholdMember),
    removeHouseholdMember: reportedChange(removeHouseholdMember),
    recordMemberDeath: reportedChange(recordMemberDeath),
    changeMemberRelation: reportedChange(changeMemberRelation),
    changeCurrentHousing: reportedChange(changeCurrentHousing),
    recordSpecialDifficulty: (_: unknown, { input }: { input: unknown }, ctx: HubContext) =>
      recordSpecialDifficulty(ctx.db, input, ctx.caller?.districts ?? null, ctx.who),
    removeSpecialDifficulty: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => removeSpecialDifficulty(ctx.db, input, ctx.who),
    grantQualificationException: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => grantQualificationException(ctx.db, input, ctx.today, ctx.who),
    revokeQualificationException: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => revokeQualificationException(ctx.db, input, ctx.who),
  },
  HouseholdChangeResult: {
    // the household as it is now, not as it was locked
    household: (r: ChangeResult, _: unknown, ctx: HubContext) => ctx.loaders.household.load(r.household.id),
  },
  Household: {
    changes: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.changesByHousehold.load(h.id),
    formerMembers: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.formerMembersByHousehold.load(h.id),
    specialDifficulties: (h: HouseholdRow, { includeRemoved }: { includeRemoved?: boolean | null }, ctx: HubContext) =>
      (includeRemoved ? ctx.loaders.specialDifficultiesByHousehold : ctx.loaders.activeSpecialDifficultiesByHousehold).load(h.id),
    exceptions: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.exceptionsByHousehold.load(h.id),
  },
  Person: {
    specialDifficulties: async (p: PersonRow, { includeRemoved }: { includeRemoved?: boolean | null }, ctx: HubContext) => {
      const all = await ctx.loaders.specialDifficultiesByPerson.load(p.id);
      return includeRemoved ? all : all.filter((d) => d.removedAt === null);
    },
  },
  HouseholdChange: {
    person: (c: HouseholdChangeRow, _: unknown, ctx: HubContext) => (c.personId === null ? null : ctx.loaders.person.load(c.personId)),
    daysToReport: (c: HouseholdChangeRow) => daysBetween(c.effectiveOn, c.reportedOn),
  },
  SpecialDifficulty: {
    certificateNo: (d: SpecialDifficultyRow) => maskCertificateNo(d.certificateNo),
    person: (d: SpecialDifficultyRow, _: unknown, ctx: HubContext) => ctx.loaders.person.load(d.personId),
    active: (d: SpecialDifficultyRow) => d.removedAt === null,
  },
  QualificationException: {
    inForce: (e: QualificationExceptionRow, _: unknown, ctx: HubContext) => inForce(e, ctx.today),
  },
};
