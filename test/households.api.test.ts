import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GraphQLResponse, type TestHub } from './helpers/hub.js';

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $filter: HouseholdFilter) {
    households(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        category
        applicationDate
        district {
          id
          name
        }
        size
        head {
          residentId
          name
        }
        members {
          residentId
          name
          birthDate
          sex
          relation
        }
        currentHousing {
          floorArea
          tenure
          perCapitaArea
        }
        unit {
          id
          address
          floorArea
          district {
            id
          }
        }
        tenancy {
          startDate
          monthlyRent
          rentStandard
          rentLedger {
            month
            amountDue
            amountPaid
            unpaid
          }
          arrears {
            monthsUnpaid
            amountOutstanding
            oldestUnpaidMonth
          }
        }
        application {
          stage
          submittedOn
          stageDeadline
          overdue
          history {
            stage
            enteredOn
            deadline
          }
        }
        waitlistEntry {
          enteredOn
          daysWaiting
        }
      }
    }
  }
`;

describe('households API over the demo data', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 200 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pages through every household once with cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphQLResponse = await t.gql(PAGE, { first: 64, after });
      expect(res.body.errors).toBeUndefined();
      const page: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = res.body.data.households;
      expect(page.totalCount).toBe(200);
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
  });

  it('loads a page of 100 households with every field in a bounded number of SQL statements', async () => {
    const res = await t.gql(PAGE, { first: 100 });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.households.nodes).toHaveLength(100);
    // the page with its members, housing, tenancy, unit, district, ledger and application in one statement + count
    // + one batch each for application events and waitlist entries: not one per household
    expect(Number(res.headers.get('x-sql-statements'))).toBeLessThanOrEqual(4);
  });

  it('filters by district, status and category', async () => {
    const res = await t.gql(PAGE, { first: 100, filter: { districtId: 'KC-LXM', status: 'HOUSED' } });
    const nodes = res.body.data.households.nodes as { district: { id: string }; status: string }[];
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.district.id === 'KC-LXM' && n.status === 'HOUSED')).toBe(true);
    expect(res.body.data.households.totalCount).toBe(nodes.length);

    const migrants = await t.gql(PAGE, { first: 100, filter: { category: 'MIGRANT' } });
    expect(migrants.body.data.households.nodes.every((n: { category: string }) => n.category === 'MIGRANT')).toBe(true);
  });

  it('shows a housed household with its unit, tenancy, ledger and arrears summary', async () => {
    const res = await t.gql(PAGE, { first: 100, filter: { status: 'HOUSED' } });
    const housed = res.body.data.households.nodes;
    expect(housed.length).toBeGreaterThan(10);
    for (const h of housed) {
      expect(h.unit).not.toBeNull();
      expect(h.tenancy.rentLedger.length).toBeGreaterThan(0);
      const unpaid = h.tenancy.rentLedger.filter((l: { unpaid: boolean }) => l.unpaid);
      expect(h.tenancy.arrears.monthsUnpaid).toBe(unpaid.length);
      const owed = unpaid.reduce((s: number, l: { amountDue: number; amountPaid: number }) => s + l.amountDue - l.amountPaid, 0);
      expect(h.tenancy.arrears.amountOutstanding).toBeCloseTo(owed, 2);
    }
    expect(housed.some((h: { tenancy: { arrears: { monthsUnpaid: number } } }) => h.tenancy.arrears.monthsUnpaid >= 6)).toBe(true);
  });

  it('computes per-capita area from the current housing and household size', async () => {
    const res = await t.gql(PAGE, { first: 50 });
    for (const h of res.body.data.households.nodes) {
      expect(h.size).toBe(h.members.length);
      expect(h.currentHousing.perCapitaArea).toBeCloseTo(h.currentHousing.floorArea / h.size, 2);
    }
  });

  it('finds a household by id and a person by resident ID', async () => {
    const page = await t.gql(PAGE, { first: 1 });
    const first = page.body.data.households.nodes[0];
    const full = await t.gql(`query($id: ID!) { household(id: $id) { head { identity(purpose: "test: look the head up by ID") { residentId } } } }`, {
      id: first.id,
    });
    const res = await t.gql(`query($id: ID!, $rid: String!) { household(id: $id) { id size } person(residentId: $rid) { name household { id } } }`, {
      id: first.id,
      rid: full.body.data.household.head.identity.residentId,
    });
    expect(res.body.data).toEqual({
      household: { id: first.id, size: first.size },
      person: { name: first.head.name, household: { id: first.id } },
    });
    const missing = await t.gql(`{ household(id: "999999") { id } person(residentId: "11010519491231002X") { name } }`);
    expect(missing.body.data).toEqual({ household: null, person: null });
  });

  it('refuses a page larger than the cap and a forged cursor, naming the argument', async () => {
    const big = await t.gql(PAGE, { first: 101 });
    expect(big.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const forged = await t.gql(PAGE, { first: 10, after: 'bm9wZQ' });
    expect(forged.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('lists the districts', async () => {
    const res = await t.gql(`{ districts { id name jurisdiction } }`);
    expect(res.body.data.districts).toHaveLength(5);
  });
});
