// What a manager sees of the agencies' feeds (read-only): each agency's last batches with their
// counts, and how old its newest data is against the policy's EVIDENCE_MAX_AGE_DAYS.<agency>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerClaims } from '../src/auth/caller.js';
import { socialSecurity } from '../connectors/social-security/index.js';
import { publicSecurity } from '../connectors/public-security/index.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';

const FEEDS = /* GraphQL */ `
  query ($batches: Int) {
    agencyFeeds(batches: $batches) {
      agency
      name
      live
      newestAsOf
      ageDays
      maxAgeDays
      freshness
      batches {
        batchKey
        mode
        status
        asOf
        receivedAt
        received
        accepted
        rejected
      }
    }
  }
`;

interface Status {
  agency: string;
  name: string;
  live: boolean;
  newestAsOf: string | null;
  ageDays: number | null;
  maxAgeDays: number | null;
  freshness: string;
  batches: { batchKey: string; mode: string; status: string; asOf: string; receivedAt: string; received: number; accepted: number; rejected: number }[];
}

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ bare: true });
});
afterAll(async () => {
  await t?.close();
});

async function feeds(batches?: number): Promise<Map<string, Status>> {
  const res = await t.gql<{ agencyFeeds: Status[] }>(FEEDS, batches === undefined ? {} : { batches });
  expect(res.body.errors).toBeUndefined();
  return new Map(res.body.data!.agencyFeeds.map((s) => [s.agency, s]));
}

async function feed(mutation: string, type: string, batchKey: string, asOf: string, records: Record<string, unknown[]>) {
  const res = await t.gql(
    `mutation($key: String!, $asOf: Date, $records: ${type}!) { ${mutation}(batchKey: $key, asOf: $asOf, records: $records) { status accepted rejected } }`,
    { key: batchKey, asOf, records },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data[mutation];
}

describe('agencyFeeds', () => {
  it('says MISSING for every agency before any batch, with the policy limit beside it', async () => {
    const status = await feeds();
    expect([...status.keys()]).toEqual([
      'civil-affairs',
      'public-security',
      'social-security',
      'provident-fund',
      'utilities',
      'real-estate',
      'market-regulation',
    ]);
    for (const s of status.values()) {
      expect(s.freshness).toBe('MISSING');
      expect(s.newestAsOf).toBeNull();
      expect(s.batches).toEqual([]);
      expect(s.live).toBe(false);
    }
    expect(status.get('public-security')!.maxAgeDays).toBe(90);
    expect(status.get('social-security')!.maxAgeDays).toBe(62);
    expect(status.get('utilities')!.maxAgeDays).toBeNull();
  });

  it('counts each batch, dates the newest data, and tells stale from fresh against the limit', async () => {
    // public security: 120 days ago (limit 90) -> stale; social security: 10 days ago (limit 62) -> fresh
    await feed('submitPublicSecurityFeed', 'PublicSecurityRecords', 'ps-old', '2026-07-26', { hukou: [publicSecurity.kinds.hukou.example] });
    await feed('submitSocialSecurityFeed', 'SocialSecurityRecords', 'ss-1', '2026-11-13', {
      pension: [socialSecurity.kinds.pension.example, { ...socialSecurity.kinds.pension.example, residentId: 'not an id' }],
    });
    // a later batch whose every record is rejected brings no data: the newest stays the batch before
    await feed('submitSocialSecurityFeed', 'SocialSecurityRecords', 'ss-2', '2026-11-20', {
      pension: [{ ...socialSecurity.kinds.pension.example, amount: -5 }],
    });
    const status = await feeds();
    const ps = status.get('public-security')!;
    expect(ps).toMatchObject({ newestAsOf: '2026-07-26', ageDays: 120, maxAgeDays: 90, freshness: 'STALE' });
    expect(ps.batches).toMatchObject([{ batchKey: 'ps-old', status: 'ACCEPTED', received: 1, accepted: 1, rejected: 0 }]);
    const ss = status.get('social-security')!;
    expect(ss).toMatchObject({ newestAsOf: '2026-11-13', ageDays: 10, maxAgeDays: 62, freshness: 'FRESH' });
    expect(ss.batches.map((b) => [b.batchKey, b.status, b.received, b.accepted, b.rejected])).toEqual([
      ['ss-2', 'PARTIAL', 1, 0, 1],
      ['ss-1', 'PARTIAL', 2, 1, 1],
    ]);
    expect(status.get('civil-affairs')!.freshness).toBe('MISSING');
    expect(TEST_TODAY).toBe('2026-11-23');
  });

  it('shows the last n batches, newest first, at most 50', async () => {
    expect((await feeds(1)).get('social-security')!.batches.map((b) => b.batchKey)).toEqual(['ss-2']);
    expect((await feeds(0)).get('social-security')!.batches).toEqual([]);
    expect((await feeds(500)).get('social-security')!.batches).toHaveLength(2);
  });

  it('is for managers and administrators only: an agency sees no other agency, a caseworker nothing', async () => {
    expect((await t.as({ sub: 'manager@test', role: 'MANAGER' }).gql(FEEDS)).body.errors).toBeUndefined();
    const callers: CallerClaims[] = [
      { sub: 'cw@test', role: 'CASEWORKER' as const, districts: ['KC-KCZ'] },
      { sub: 'ss@test', role: 'AGENCY' as const, agency: 'social-security' as const },
      { sub: 'auditor@test', role: 'AUDITOR' as const },
    ];
    for (const caller of callers) {
      const res = await t.as(caller).gql(FEEDS);
      expect(res.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
  });
});
