import { agencyResolvers } from './agencies.js';
import { allocationResolvers } from './allocation.js';
import { alertResolvers } from './alerts.js';
import { authResolvers } from './auth.js';
import { exitResolvers } from './exit.js';
import { changeResolvers } from './changes.js';
import { householdResolvers } from './household.js';
import { policyResolvers } from './policy.js';
import { referenceResolvers } from './reference.js';
import { rentResolvers } from './rent.js';
import { reviewResolvers } from './reviews.js';
import { scalarResolvers } from './scalars.js';

export const resolvers = [
  scalarResolvers,
  householdResolvers,
  ...agencyResolvers,
  policyResolvers,
  alertResolvers,
  reviewResolvers,
  authResolvers,
  referenceResolvers,
  exitResolvers,
  rentResolvers,
  allocationResolvers,
  changeResolvers,
];
