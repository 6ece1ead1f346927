// Who is calling: authenticated by a JWT (verified with jose, HS256 key from configuration) or an
// API key (stored as a SHA-256 hash), both carrying a role, and the districts or agency it covers.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { z } from 'zod';
import { AGENCIES, type AgencyId } from '../agency/connector.js';
import type { Db } from '../db/client.js';
import { ERRORS, hubError } from '../errors.js';
import { apiKeys } from './tables.js';

export const ROLES = ['ADMIN', 'MANAGER', 'CASEWORKER', 'AGENCY', 'AUDITOR', 'ALERT_CONSUMER'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  /** the token's subject (a person's login or a system's name), recorded as "who" */
  id: string;
  role: Role;
  /** the districts a CASEWORKER or ALERT_CONSUMER covers; null: every district */
  districts: string[] | null;
  /** the agency an AGENCY token speaks for */
  agency: AgencyId | null;
}

/** roles confined to the districts their token names */
const DISTRICT_ROLES: readonly Role[] = ['CASEWORKER', 'ALERT_CONSUMER'];

export const callerClaims = z
  .object({
    sub: z.string().min(1).max(200),
    role: z.enum(ROLES),
    districts: z.array(z.string().min(1)).max(1000).nullish(),
    agency: z.enum(AGENCIES).nullish(),
  })
  .refine((c) => !DISTRICT_ROLES.includes(c.role) || (c.districts?.length ?? 0) > 0, {
    message: 'a CASEWORKER or ALERT_CONSUMER names its districts',
    path: ['districts'],
  })
  .refine((c) => c.role !== 'AGENCY' || !!c.agency, { message: 'an AGENCY token names its agency', path: ['agency'] });

export type CallerClaims = z.input<typeof callerClaims>;

export function unauthenticated(reason: string): GraphQLError {
  return hubError('UNAUTHENTICATED', `not authenticated: ${reason}`, { http: { status: ERRORS.UNAUTHENTICATED.status } });
}

/**
 * The caller could not be checked (the database is down): a 503, so a client keeps its good key
 * and tries again; what failed is logged, never shown.
 */
export class AuthenticationUnavailable extends Error {
  constructor(cause: unknown) {
    super('authentication is unavailable; try again shortly', { cause });
    this.name = 'AuthenticationUnavailable';
  }
}

/** An agency sends only its own feeds; an ADMIN may send any (a re-load on an agency's behalf). */
export function mayFeed(caller: Caller, agency: AgencyId): boolean {
  return caller.role === 'ADMIN' || (caller.role === 'AGENCY' && caller.agency === agency);
}

/** Says nothing about whether what was asked for exists. */
export function forbidden(): GraphQLError {
  return hubError('FORBIDDEN');
}

function callerOf(claims: z.output<typeof callerClaims>): Caller {
  return {
    id: claims.sub,
    role: claims.role,
    districts: DISTRICT_ROLES.includes(claims.role) ? claims.districts! : null,
    agency: claims.role === 'AGENCY' ? claims.agency! : null,
  };
}

const API_KEY = /^hub_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest();

export interface AuthenticatorOptions {
  secret: string;
  issuer: string;
  audience: string;
}

/** tokens verified already, kept until they expire: a dashboard sends the same token with every request */
const MAX_VERIFIED = 10_000;

export class Authenticator {
  private readonly key: Uint8Array;
  /** token → its caller and when it expires (ms): a JWT is good until its exp whoever checks it, so checking it again changes nothing */
  private readonly verified = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly db: Db,
    private readonly options: AuthenticatorOptions,
  ) {
    this.key = new TextEncoder().encode(options.secret);
  }

  /** the caller an Authorization header names; throws UNAUTHENTICATED for a missing, bad, expired or revoked token */
  async authenticate(authorization: string | undefined): Promise<Caller> {
    const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) throw unauthenticated('send Authorization: Bearer <token>');
    const apiKey = API_KEY.exec(token);
    return apiKey ? this.apiKeyCaller(apiKey[1]!, token) : this.jwtCaller(token);
  }

  private async jwtCaller(token: string): Promise<Caller> {
    const known = this.verified.get(token);
    if (known && known.until > Date.now()) return known.caller;
    let payload: JWTPayload;
    try {
      // a token without an expiry would be good forever
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('the token has expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'exp') throw unauthenticated('the token has no expiry (exp)');
      throw unauthenticated('the token is not valid');
    }
    const claims = callerClaims.safeParse(payload);
    if (!claims.success) throw unauthenticated(`the token's claims are not valid: ${claims.error.issues[0]!.message}`);
    const caller = callerOf(claims.data);
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(token, { caller, until: payload.exp! * 1000 });
    return caller;
  }

  private async apiKeyCaller(prefix: string, token: string): Promise<Caller> {
    let row: typeof apiKeys.$inferSelect | undefined;
    try {
      [row] = await this.db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)));
    } catch (error) {
      throw new AuthenticationUnavailable(error);
    }
    if (!row || !timingSafeEqual(Buffer.from(row.hash, 'hex'), sha256(token))) throw unauthenticated('the API key is not valid');
    if (row.expiresAt && row.expiresAt < new Date()) throw unauthenticated('the API key has expired');
    return callerOf(callerClaims.parse({ sub: `key:${row.prefix}:${row.name}`, role: row.role, districts: row.districts, agency: row.agency }));
  }

  /** a signed JWT for these claims (demo tokens, tests, an identity provider stand-in) */
  async issue(claims: CallerClaims, expiresIn: string | number = '12h'): Promise<string> {
    const { sub, ...rest } = callerClaims.parse(claims);
    return new SignJWT(rest)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(this.key);
  }
}

/** A new API key: the whole key is shown once; only its hash is kept. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const key = `hub_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: sha256(key).toString('hex') };
}
