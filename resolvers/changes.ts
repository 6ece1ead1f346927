import { daysBetween } from '../src/domain/working-days.js';
import {
  addHouseholdMember,
  changeCurrentHousing,
  changeMemberRelation,
  recordMemberDeath,
  removeHouseholdMember,
  reportChange,
} from '../src/households/changes.js';
import { maskCertificateNo, recordSpecialDifficulty, removeSpecialDifficulty } from '../src/households/difficulties.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { grantQualificationException, inForce, revokeQualificationException } from '../src/policy/exceptions.js';

export const changeResolvers: Resolvers = {
  Mutation: {
    addHouseholdMember: (_, { input }, ctx) => reportChange(ctx, addHouseholdMember, input),
    removeHouseholdMember: (_, { input }, ctx) => reportChange(ctx, removeHouseholdMember, input),
    recordMemberDeath: (_, { input }, ctx) => reportChange(ctx, recordMemberDeath, input),
    changeMemberRelation: (_, { input }, ctx) => reportChange(ctx, changeMemberRelation, input),
    changeCurrentHousing: (_, { input }, ctx) => reportChange(ctx, changeCurrentHousing, input),
    recordSpecialDifficulty: (_, { input }, ctx) => recordSpecialDifficulty(ctx.db, input, ctx.scope, ctx.who),
    removeSpecialDifficulty: (_, { input }, ctx) => removeSpecialDifficulty(ctx.db, input, ctx.who),
    grantQualificationException: (_, { input }, ctx) => grantQualificationException(ctx.db, input, ctx.today, ctx.who),
    revokeQualificationException: (_, { input }, ctx) => revokeQualificationException(ctx.db, input, ctx.who),
  },
  HouseholdChangeResult: {
    // the household as it is now, not as it was locked
    household: async (r, _, ctx) => (await ctx.loaders.household.load(r.household.id))!,
  },
  Household: {
    changes: (h, _, ctx) => ctx.loaders.changesByHousehold.load(h.id),
    formerMembers: (h, _, ctx) => ctx.loaders.formerMembersByHousehold.load(h.id),
    specialDifficulties: (h, { includeRemoved }, ctx) =>
      (includeRemoved ? ctx.loaders.specialDifficultiesByHousehold : ctx.loaders.activeSpecialDifficultiesByHousehold).load(h.id),
    exceptions: (h, _, ctx) => ctx.loaders.exceptionsByHousehold.load(h.id),
  },
  Person: {
    specialDifficulties: async (p, { includeRemoved }, ctx) => {
      const all = await ctx.loaders.specialDifficultiesByPerson.load(p.id);
      return includeRemoved ? all : all.filter((d) => d.removedAt === null);
    },
  },
  HouseholdChange: {
    person: (c, _, ctx) => (c.personId === null ? null : ctx.loaders.person.load(c.personId)),
    daysToReport: (c) => daysBetween(c.effectiveOn, c.reportedOn),
  },
  SpecialDifficulty: {
    certificateNo: (d) => maskCertificateNo(d.certificateNo),
    person: async (d, _, ctx) => (await ctx.loaders.person.load(d.personId))!,
    active: (d) => d.removedAt === null,
  },
  QualificationException: {
    inForce: (e, _, ctx) => inForce(e, ctx.today),
  },
};
