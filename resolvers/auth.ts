import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { listAudit } from '../src/auth/audit.js';
import { createApiKey } from '../src/auth/api-keys.js';
import { apiKeys } from '../src/auth/tables.js';
import type { HubContext } from '../src/context.js';
import { maskName } from '../src/domain/resident-id.js';
import { notFound, parseInput } from '../src/errors.js';
import type { PersonRow } from '../src/households/loaders.js';

const purposeSchema = z.object({ purpose: z.string().trim().min(5, 'state why you need the full identity (at least 5 characters)').max(500) });

export const authResolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: HubContext) => ctx.caller,
    auditLog: async (_: unknown, args: { filter?: unknown; first?: number | null; after?: string | null }, ctx: HubContext) => {
      const page = await listAudit(ctx.db, args, ctx.config.MAX_PAGE_SIZE);
      return { nodes: page.nodes, totalCount: page.totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
    },
    apiKeys: (_: unknown, __: unknown, ctx: HubContext) => ctx.db.select().from(apiKeys).orderBy(desc(apiKeys.id)),
  },
  Mutation: {
    createApiKey: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => createApiKey(ctx.db, input, ctx.who),
    revokeApiKey: async (_: unknown, { id }: { id: string }, ctx: HubContext) => {
      const [row] = await ctx.db
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiKeys.id, Number(id) || 0), isNull(apiKeys.revokedAt)))
        .returning();
      if (!row) throw notFound(`api key ${id} (or it is revoked already)`);
      return row;
    },
  },
  Person: {
    name: (p: PersonRow) => maskName(p.name),
    identity: (p: PersonRow, args: unknown, ctx: HubContext) => {
      const { purpose } = parseInput(purposeSchema, args, 'args');
      ctx.audit.record('IDENTITY', { householdId: p.householdId, subject: p.residentId, purpose });
      return { residentId: p.residentId, name: p.name };
    },
  },
  Alert: {
    householdId: (a: { householdId: number }) => a.householdId,
  },
};
