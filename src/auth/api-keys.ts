// Making an API key: the createApiKey mutation and `npm run admin -- create-api-key` (the first
// ADMIN key of a fresh install) share this, so both apply the same rules and store the same row.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { AGENCIES } from '../agency/connector.js';
import type { Db } from '../db/client.js';
import { notFound, parseInput } from '../errors.js';
import { callerClaims, newApiKey, ROLES } from './caller.js';
import { apiKeys } from './tables.js';

const createKeySchema = z.object({
  name: z.string().min(1).max(200),
  role: z.enum(ROLES),
  districts: z.array(z.string().min(1)).nullish(),
  agency: z.enum(AGENCIES).nullish(),
  // checked against the clock when the key is used, so a date already past would make a dead key
  expiresAt: z
    .date()
    .refine((d) => d.getTime() > Date.now(), { message: 'must be in the future' })
    .nullish(),
});

export type CreateApiKeyInput = z.input<typeof createKeySchema>;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Returns the key itself (shown once: only its hash is kept) and the stored row. */
export async function createApiKey(db: Db, raw: unknown, by: string): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const parsed = parseInput(createKeySchema, raw);
  // the same rules as a JWT's claims: a CASEWORKER names districts, an AGENCY its agency
  parseInput(callerClaims, { sub: parsed.name, role: parsed.role, districts: parsed.districts, agency: parsed.agency });
  const { key, prefix, hash } = newApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      prefix,
      hash,
      name: parsed.name,
      role: parsed.role,
      districts: parsed.districts ?? null,
      agency: parsed.agency ?? null,
      createdBy: by,
      expiresAt: parsed.expiresAt ?? null,
    })
    .returning();
  return { key, apiKey: row! };
}

/** newest first, revoked ones too */
export function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.id));
}

/** A revoked key authenticates no more; revoking is once (NOT_FOUND for an unknown or revoked key). */
export async function revokeApiKey(db: Db, id: string): Promise<ApiKeyRow> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, Number(id) || 0), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) throw notFound(`api key ${id} (or it is revoked already)`);
  return row;
}
