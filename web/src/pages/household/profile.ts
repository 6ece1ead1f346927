// The profile's reads and the little logic the screen adds to them: each agency's freshness (as the
// API judges evidence: KC-18's EVIDENCE_MAX_AGE_DAYS, "no record" only when the agency declared the
// kind complete), vacant months in the utility readings (KC-19(1)'s VACANCY.* limits), and one
// timeline out of the application, changes, evaluations, alerts and exit cases. Pure: unit-tested.

export const PROFILE = /* GraphQL */ `
  query HouseholdProfile($id: ID!, $from: Date) {
    household(id: $id) {
      id
      status
      category
      applicationDate
      size
      district {
        id
        name
        policy {
          id
          name
        }
      }
      members {
        id
        name
        residentId
        relation
        birthDate
        sex
        death {
          diedOn
          agency
          asOf
          source
        }
        allowance {
          status
          since
          until
          asOf
          source
        }
        incomes {
          year
          annualIncome
          asOf
          source
        }
        maritalStatus {
          status
          since
          asOf
          source
        }
        disabilityCertificates {
          grade
          category
          issuedOn
          validUntil
          asOf
          source
        }
        hukou {
          areaCode
          kind
          since
          asOf
          source
        }
        vehicles {
          plate
          purchasePrice
          registeredOn
          deregisteredOn
          asOf
          source
        }
        pensionContributions(from: $from) {
          month
          employer
          amount
          asOf
          source
        }
        labourContracts {
          employer
          startDate
          endDate
          asOf
          source
        }
        providentFundDeposits(from: $from) {
          month
          employer
          amount
          asOf
          source
        }
        properties {
          kind
          location
          floorArea
          acquiredOn
          disposedOn
          asOf
          source
        }
        businesses {
          name
          registeredCapital
          status
          registeredOn
          asOf
          source
        }
      }
      currentHousing {
        floorArea
        tenure
        perCapitaArea
      }
      tenancies {
        id
        startDate
        endDate
        endReason
        monthlyRent
        rentStandard
        unit {
          id
          address
          floorArea
          utilityUse(from: $from) {
            month
            kind
            quantity
            unit
            asOf
            source
          }
        }
        rentLedger {
          month
          amountDue
          amountPaid
          paidOn
          unpaid
        }
        arrears {
          monthsUnpaid
          amountOutstanding
          oldestUnpaidMonth
        }
      }
      application {
        id
        stage
        submittedOn
        stageDeadline
        overdue
        history {
          stage
          enteredOn
          deadline
          note
        }
      }
      waitlistEntry {
        enteredOn
        requeuedOn
        daysWaiting
        removedOn
        removedReason
      }
      changes {
        id
        kind
        person {
          id
          name
        }
        effectiveOn
        reportedOn
        daysToReport
        note
      }
      evaluations {
        id
        verdict
        evaluatedOn
        evaluatedBy
        policyVersion
      }
      exitCases {
        id
        ground
        status
        openedOn
        summary
        closedOn
      }
    }
    alerts(filter: { householdId: $id }, first: 50) {
      nodes {
        id
        rule
        article
        severity
        status
        summary
        raisedAt
      }
    }
    kc: policy(id: "KC") {
      id
      parameters {
        code
        value
      }
    }
  }
`;

export const QUALIFICATION = /* GraphQL */ `
  query HouseholdQualification($id: ID!, $policy: ID!) {
    household(id: $id) {
      id
      qualification(policy: $policy) {
        asOf
        verdict
        category
        fits
        policy {
          id
          name
          version
        }
        criteria {
          code
          article
          description
          outcome
          actual
          actualText
          threshold
          comparator
          unit
          reason
          exception {
            id
            reason
            expiresOn
          }
          evidence {
            agency
            record
            kind
            asOf
            ageDays
            stale
            source
          }
        }
        sinceLast {
          previousVerdict
          changedCriteria
        }
      }
      score {
        total
        housing {
          points
          basis
        }
        familyStructure {
          points
          basis
        }
        specialDifficulty {
          points
          basis
        }
        subsidyYears {
          points
          basis
        }
      }
      waitlistEntry {
        enteredOn
        removedOn
      }
    }
  }
`;

export const WAITLIST = /* GraphQL */ `
  query HouseholdRank($districtId: ID!) {
    waitlist(districtId: $districtId) {
      rank
      household {
        id
      }
      score {
        total
      }
    }
  }
`;

export const REVEAL = /* GraphQL */ `
  query RevealIdentity($household: ID!, $member: ID!, $purpose: String!) {
    household(id: $household) {
      id
      member(id: $member) {
        id
        identity(purpose: $purpose) {
          residentId
          name
        }
      }
    }
  }
`;

export type Source = 'FEED' | 'LIVE';
interface Dated {
  asOf: string;
  source: Source;
}

export interface Member {
  id: string;
  name: string;
  residentId: string;
  relation: string;
  birthDate: string;
  sex: string;
  death: (Dated & { diedOn: string; agency: string }) | null;
  allowance: (Dated & { status: string; since: string; until: string | null }) | null;
  incomes: (Dated & { year: number; annualIncome: number })[] | null;
  maritalStatus: (Dated & { status: string; since: string }) | null;
  disabilityCertificates: (Dated & { grade: number; category: string; issuedOn: string; validUntil: string | null })[] | null;
  hukou: (Dated & { areaCode: string; kind: string; since: string }) | null;
  vehicles: (Dated & { plate: string; purchasePrice: number; registeredOn: string; deregisteredOn: string | null })[] | null;
  pensionContributions: (Dated & { month: string; employer: string; amount: number })[] | null;
  labourContracts: (Dated & { employer: string; startDate: string; endDate: string | null })[] | null;
  providentFundDeposits: (Dated & { month: string; employer: string; amount: number })[] | null;
  properties: (Dated & { kind: string; location: string; floorArea: number; acquiredOn: string; disposedOn: string | null })[] | null;
  businesses: (Dated & { name: string; registeredCapital: number; status: string; registeredOn: string })[] | null;
}

export interface Reading extends Dated {
  month: string;
  kind: 'WATER' | 'ELECTRICITY' | 'GAS';
  quantity: number;
  unit: string;
}

export interface LedgerEntry {
  month: string;
  amountDue: number;
  amountPaid: number;
  paidOn: string | null;
  unpaid: boolean;
}

export interface Tenancy {
  id: string;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
  monthlyRent: number;
  rentStandard: string;
  unit: { id: string; address: string; floorArea: number; utilityUse: Reading[] | null };
  rentLedger: LedgerEntry[];
  arrears: { monthsUnpaid: number; amountOutstanding: number; oldestUnpaidMonth: string | null };
}

export interface Profile {
  id: string;
  status: string;
  category: string;
  applicationDate: string;
  size: number;
  district: { id: string; name: string; policy: { id: string; name: string } };
  members: Member[];
  currentHousing: { floorArea: number; tenure: string; perCapitaArea: number } | null;
  tenancies: Tenancy[];
  application: {
    id: string;
    stage: string;
    submittedOn: string;
    stageDeadline: string | null;
    overdue: boolean;
    history: { stage: string; enteredOn: string; deadline: string | null; note: string | null }[];
  } | null;
  waitlistEntry: { enteredOn: string; requeuedOn: string | null; daysWaiting: number; removedOn: string | null; removedReason: string | null } | null;
  changes: {
    id: string;
    kind: string;
    person: { id: string; name: string } | null;
    effectiveOn: string;
    reportedOn: string;
    daysToReport: number;
    note: string | null;
  }[];
  evaluations: { id: string; verdict: string; evaluatedOn: string; evaluatedBy: string | null; policyVersion: number }[];
  exitCases: { id: string; ground: string; status: string; openedOn: string; summary: string; closedOn: string | null }[];
}

export interface AlertRow {
  id: string;
  rule: string;
  article: string;
  severity: string;
  status: string;
  summary: string;
  raisedAt: string;
}

export interface ProfileData {
  household: Profile | null;
  alerts: { nodes: AlertRow[] } | null;
  kc: { id: string; parameters: { code: string; value: number }[] } | null;
}

export interface Evidence {
  agency: string;
  record: string | null;
  kind: string | null;
  asOf: string | null;
  ageDays: number | null;
  stale: boolean;
  source: string | null;
}

export interface Criterion {
  code: string;
  article: string;
  description: string;
  outcome: 'PASS' | 'FAIL' | 'UNKNOWN';
  actual: number | null;
  actualText: string;
  threshold: number | null;
  comparator: string;
  unit: string;
  reason: string | null;
  exception: { id: string; reason: string; expiresOn: string } | null;
  evidence: Evidence[];
}

export interface ScoreComponent {
  points: number;
  basis: string;
}

export interface QualificationData {
  household: {
    id: string;
    qualification: {
      asOf: string;
      verdict: 'ELIGIBLE' | 'INELIGIBLE' | 'UNKNOWN';
      category: string;
      fits: string[];
      policy: { id: string; name: string; version: number };
      criteria: Criterion[];
      sinceLast: { previousVerdict: string; changedCriteria: string[] } | null;
    };
    score: { total: number; housing: ScoreComponent; familyStructure: ScoreComponent; specialDifficulty: ScoreComponent; subsidyYears: ScoreComponent };
    waitlistEntry: { enteredOn: string; removedOn: string | null } | null;
  } | null;
}

// ---- agencies and their freshness ------------------------------------------------------------------

export const AGENCIES = ['civil-affairs', 'public-security', 'social-security', 'provident-fund', 'real-estate', 'market-regulation', 'utilities'] as const;
export type Agency = (typeof AGENCIES)[number];
export type Freshness = 'FRESH' | 'STALE' | 'MISSING' | 'UNAVAILABLE';

/** the Person / HousingUnit field each agency answers, for telling which agency a failed field belongs to */
export const FIELD_AGENCY: Record<string, Agency> = {
  allowance: 'civil-affairs',
  incomes: 'civil-affairs',
  maritalStatus: 'civil-affairs',
  disabilityCertificates: 'civil-affairs',
  hukou: 'public-security',
  vehicles: 'public-security',
  pensionContributions: 'social-security',
  labourContracts: 'social-security',
  providentFundDeposits: 'provident-fund',
  properties: 'real-estate',
  businesses: 'market-regulation',
  utilityUse: 'utilities',
};

/** the agencies whose fields the API could not answer (AGENCY_UNAVAILABLE: extensions.agency, else the field's path) */
export function unavailableAgencies(
  errors: readonly { path?: readonly (string | number)[] | undefined; extensions?: Record<string, unknown> | undefined }[],
): Set<string> {
  const out = new Set<string>();
  for (const e of errors) {
    if (e.extensions?.['code'] !== 'AGENCY_UNAVAILABLE') continue;
    const named = e.extensions['agency'];
    if (typeof named === 'string') out.add(named);
    else {
      const field = [...(e.path ?? [])].reverse().find((p): p is string => typeof p === 'string' && p in FIELD_AGENCY);
      if (field) out.add(FIELD_AGENCY[field]!);
    }
  }
  return out;
}

export interface AgencyState {
  agency: string;
  freshness: Freshness;
  /** the newest as-of date of what it sent about the household */
  asOf: string | null;
  ageDays: number | null;
  sources: Source[];
}

const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);

/**
 * One agency's freshness: unavailable when the API said so; otherwise what the qualification's evidence
 * says of it (an evidence the API marks stale, or with no as-of date: missing); an agency no criterion
 * reads (utilities) is judged on its records: none is missing, older than its EVIDENCE_MAX_AGE_DAYS stale.
 */
export function agencyState(
  agency: string,
  records: readonly Dated[],
  evidence: readonly Evidence[],
  unavailable: ReadonlySet<string>,
  maxAgeDays: number | undefined,
  today: string,
): AgencyState {
  const mine = evidence.filter((e) => e.agency === agency);
  // no record, but the agency declared the kind complete (its "none" is evidence, as of that day)
  const dates = (records.length ? records.map((r) => r.asOf) : mine.flatMap((e) => (e.asOf ? [e.asOf] : []))).sort();
  const asOf = dates[dates.length - 1] ?? null;
  const ageDays = asOf ? dayNumber(today) - dayNumber(asOf) : null;
  const sources = [...new Set(records.map((r) => r.source))].sort();
  const base = { agency, asOf, ageDays, sources };
  if (unavailable.has(agency)) return { ...base, freshness: 'UNAVAILABLE' };
  if (mine.length) {
    if (mine.some((e) => e.asOf === null)) return { ...base, freshness: 'MISSING' };
    if (mine.some((e) => e.stale)) return { ...base, freshness: 'STALE' };
    return { ...base, freshness: 'FRESH' };
  }
  if (asOf === null) return { ...base, freshness: 'MISSING' };
  if (maxAgeDays !== undefined && ageDays !== null && ageDays > maxAgeDays) return { ...base, freshness: 'STALE' };
  return { ...base, freshness: 'FRESH' };
}

export function parameter(parameters: readonly { code: string; value: number }[] | undefined, code: string): number | undefined {
  return parameters?.find((p) => p.code === code)?.value;
}

// ---- utilities: months of use, vacant months ---------------------------------------------------------

export interface UseMonth {
  month: string;
  WATER: number | null;
  ELECTRICITY: number | null;
  GAS: number | null;
  /** every kind read and at or under its VACANCY.<KIND>_MAX: nobody living there (a month missing a reading is not) */
  vacant: boolean;
}

export const UTILITY_KINDS = ['WATER', 'ELECTRICITY', 'GAS'] as const;

export function utilityMonths(readings: readonly Reading[], parameters: readonly { code: string; value: number }[] | undefined): UseMonth[] {
  const months = new Map<string, UseMonth>();
  for (const r of readings) {
    const month = r.month.slice(0, 7);
    const row = months.get(month) ?? { month, WATER: null, ELECTRICITY: null, GAS: null, vacant: false };
    row[r.kind] = (row[r.kind] ?? 0) + r.quantity;
    months.set(month, row);
  }
  const limits = UTILITY_KINDS.map((k) => [k, parameter(parameters, `VACANCY.${k}_MAX`)] as const);
  const rows = [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
  for (const row of rows) row.vacant = limits.every(([k, max]) => max !== undefined && row[k] !== null && row[k] <= max);
  return rows;
}

// ---- the timeline -------------------------------------------------------------------------------------

export type TimelineKind = 'application' | 'change' | 'evaluation' | 'alert' | 'exitCase' | 'tenancy';

export interface TimelineEvent {
  kind: TimelineKind;
  /** YYYY-MM-DD (or a date-time for alerts) */
  on: string;
  key: string;
  /** what happened, as an i18n key and its values, or a plain text from the API */
  label: { key: string; values?: Record<string, string | number> };
  detail?: string | null;
  tone: 'ok' | 'warn' | 'bad' | 'muted' | 'info';
}

/** everything that happened to the household, newest first */
export function timelineOf(h: Profile, alerts: readonly AlertRow[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const [i, e] of (h.application?.history ?? []).entries())
    events.push({
      kind: 'application',
      on: e.enteredOn,
      key: `application-${i}`,
      label: { key: 'stage', values: { stage: e.stage } },
      detail: e.note,
      tone: e.stage === 'REJECTED' ? 'bad' : e.stage === 'APPROVED' ? 'ok' : 'info',
    });
  for (const c of h.changes)
    events.push({
      kind: 'change',
      on: c.effectiveOn,
      key: `change-${c.id}`,
      label: { key: 'change', values: { kind: c.kind, days: c.daysToReport, person: c.person?.name ?? '' } },
      detail: c.note,
      tone: c.daysToReport > 30 ? 'warn' : 'muted',
    });
  for (const e of h.evaluations)
    events.push({
      kind: 'evaluation',
      on: e.evaluatedOn,
      key: `evaluation-${e.id}`,
      label: { key: 'evaluation', values: { verdict: e.verdict, by: e.evaluatedBy ?? '—' } },
      tone: e.verdict === 'ELIGIBLE' ? 'ok' : e.verdict === 'INELIGIBLE' ? 'bad' : 'warn',
    });
  for (const a of alerts)
    events.push({
      kind: 'alert',
      on: a.raisedAt,
      key: `alert-${a.id}`,
      label: { key: 'alert', values: { rule: a.rule, article: a.article, status: a.status } },
      detail: a.summary,
      tone: a.status === 'OPEN' ? (a.severity === 'HIGH' ? 'bad' : 'warn') : 'muted',
    });
  for (const c of h.exitCases) {
    events.push({
      kind: 'exitCase',
      on: c.openedOn,
      key: `exit-${c.id}`,
      label: { key: 'exitCase', values: { ground: c.ground, status: c.status } },
      detail: c.summary,
      tone: c.closedOn ? 'muted' : 'bad',
    });
  }
  for (const t of h.tenancies) {
    events.push({ kind: 'tenancy', on: t.startDate, key: `tenancy-${t.id}`, label: { key: 'moveIn', values: { address: t.unit.address } }, tone: 'info' });
    if (t.endDate)
      events.push({
        kind: 'tenancy',
        on: t.endDate,
        key: `tenancy-end-${t.id}`,
        label: { key: 'moveOut', values: { address: t.unit.address } },
        detail: t.endReason,
        tone: 'muted',
      });
  }
  // newest first; on the same day, the order they were recorded in (stable sort keeps it)
  return events.sort((a, b) => b.on.slice(0, 10).localeCompare(a.on.slice(0, 10)));
}

/** the months of a ledger, oldest first, as the chart draws them */
export function ledgerSeries(ledger: readonly LedgerEntry[]): { month: string; due: number; paid: number; unpaid: boolean }[] {
  return [...ledger]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((e) => ({ month: e.month.slice(0, 7), due: e.amountDue, paid: e.amountPaid, unpaid: e.unpaid }));
}

/** the running tenancy, else the latest one (an exited household's ledger and unit stay readable) */
export function mainTenancy(tenancies: readonly Tenancy[]): Tenancy | null {
  return tenancies.find((t) => !t.endDate) ?? tenancies[0] ?? null;
}

/** YYYY-MM-01 `months` months before `today` */
export function monthsBefore(today: string, months: number): string {
  const d = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - months, 1));
  return d.toISOString().slice(0, 10);
}
