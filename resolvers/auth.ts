import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../src/auth/api-keys.js';
import { listAudit } from '../src/auth/audit.js';
import { maskName } from '../src/domain/resident-id.js';
import { parseInput } from '../src/errors.js';
import type { Resolvers } from '../src/generated/graphql.js';

const purposeSchema = z.object({ purpose: z.string().trim().min(5, 'state why you need the full identity (at least 5 characters)').max(500) });

export const authResolvers: Resolvers = {
  Query: {
    me: (_, __, ctx) => ctx.caller!,
    auditLog: async (_, args, ctx) => {
      const page = await listAudit(ctx.db, args, ctx.config.MAX_PAGE_SIZE);
      return { nodes: page.nodes, totalCount: page.totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
    },
    apiKeys: (_, __, ctx) => listApiKeys(ctx.db),
  },
  Mutation: {
    createApiKey: (_, { input }, ctx) => createApiKey(ctx.db, input, ctx.who),
    revokeApiKey: (_, { id }, ctx) => revokeApiKey(ctx.db, id),
  },
  Person: {
    name: (p) => maskName(p.name),
    identity: (p, args, ctx) => {
      const { purpose } = parseInput(purposeSchema, args, 'args');
      ctx.audit.record('IDENTITY', { householdId: p.householdId, subject: p.residentId, purpose });
      return { residentId: p.residentId, name: p.name };
    },
  },
  Alert: {
    householdId: (a) => a.householdId,
  },
};
