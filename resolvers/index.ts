import type { HubContext } from '../src/context.js';
import { agencyResolvers } from './agencies.js';
import { alertResolvers } from './alerts.js';
import { authResolvers } from './auth.js';
import { changeResolvers } from './changes.js';
import { householdResolvers } from './household.js';
import { policyResolvers } from './policy.js';
import { reviewResolvers } from './reviews.js';
import { scalarResolvers } from './scalars.js';

export const resolvers = [
  scalarResolvers,
  {
    Query: {
      districts: (_: unknown, __: unknown, ctx: HubContext) => ctx.db.query.districts.findMany({ orderBy: (d, { asc }) => [asc(d.id)] }),
    },
  },
  householdResolvers,
  agencyResolvers,
  policyResolvers,
  alertResolvers,
  reviewResolvers,
  authResolvers,
  changeResolvers,
];
