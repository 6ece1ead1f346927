import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AGENCIES } from '../src/agency/connector.js';
import { listAudit } from '../src/auth/audit.js';
import { callerClaims, newApiKey, ROLES } from '../src/auth/caller.js';
import { apiKeys } from '../src/auth/tables.js';
import type { HubContext } from '../src/context.js';
import { maskName } from '../src/domain/resident-id.js';
import { notFound, parseInput } from '../src/errors.js';
import type { PersonRow } from '../src/households/loaders.js';

const purposeSchema = z.object({ purpose: z.string().trim().min(5, 'state why you need the full identity (at least 5 characters)').max(500) });

const createKeySchema = z.object({
  name: z.string().min(1).max(200),
  role: z.enum(ROLES),
  districts: z.array(z.string().min(1)).nullish(),
  agency: z.enum(AGENCIES).nullish(),
  expiresAt: z.date().nullish(),
});

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
    createApiKey: async (_: unknown, { input }: { input: unknown }, ctx: HubContext) => {
      const parsed = parseInput(createKeySchema, input);
      // the same rules as a JWT's claims: a CASEWORKER names districts, an AGENCY its agency
      parseInput(callerClaims, { sub: parsed.name, role: parsed.role, districts: parsed.districts, agency: parsed.agency });
      const { key, prefix, hash } = newApiKey();
      const [row] = await ctx.db
        .insert(apiKeys)
        .values({ prefix, hash, name: parsed.name, role: parsed.role, districts: parsed.districts ?? null, agency: parsed.agency ?? null, createdBy: ctx.who, expiresAt: parsed.expiresAt ?? null })
        .returning();
      return { key, apiKey: row };
    },
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
