import type { HubContext } from '../src/context.js';
import {
  completeExit,
  decideExitAppeal,
  isPastVacateBy,
  listExitCases,
  openExitCase,
  recordExitAppeal,
  serveExitNotice,
  withdrawExitCase,
  type ExitCaseFilter,
  type ExitCaseRow,
} from '../src/exit/cases.js';
import { recordInspection, type InspectionRow } from '../src/exit/inspections.js';
import { exitLoaders } from '../src/exit/loaders.js';
import {
  answerPublicReport,
  isOverdue,
  listPublicReports,
  receivePublicReport,
  startReportInvestigation,
  type PublicReportFilter,
  type PublicReportRow,
} from '../src/exit/reports.js';
import type { HouseholdRow, UnitRow } from '../src/households/loaders.js';
import type { alerts } from '../src/detection/tables.js';

type Input = { input: unknown };
type ListArgs<F> = { filter?: F | null; first?: number | null; after?: string | null };

function parseId(id: string): number | null {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

const connection = <R>(page: { nodes: R[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }) => ({
  nodes: page.nodes,
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  totalCount: page.totalCount,
});

/** the reporter is personal data: only these roles read it */
const READS_REPORTER = new Set(['ADMIN', 'MANAGER']);

export const exitResolvers = {
  Query: {
    exitCase: (_: unknown, { id }: { id: string }, ctx: HubContext) => {
      const n = parseId(id);
      return n === null ? null : exitLoaders(ctx).exitCase.load(n);
    },
    exitCases: async (_: unknown, args: ListArgs<ExitCaseFilter>, ctx: HubContext) => connection(await listExitCases(ctx.db, args, ctx.today, ctx.config.MAX_PAGE_SIZE)),
    inspection: (_: unknown, { id }: { id: string }, ctx: HubContext) => {
      const n = parseId(id);
      return n === null ? null : exitLoaders(ctx).inspection.load(n);
    },
    publicReport: (_: unknown, { id }: { id: string }, ctx: HubContext) => {
      const n = parseId(id);
      return n === null ? null : exitLoaders(ctx).report.load(n);
    },
    publicReports: async (_: unknown, args: ListArgs<PublicReportFilter>, ctx: HubContext) =>
      connection(await listPublicReports(ctx.db, args, ctx.today, ctx.config.MAX_PAGE_SIZE)),
  },
  Mutation: {
    openExitCase: (_: unknown, { input }: Input, ctx: HubContext) => openExitCase(ctx.db, input, ctx.today, ctx.who),
    serveExitNotice: (_: unknown, { input }: Input, ctx: HubContext) => serveExitNotice(ctx.db, input, ctx.today, ctx.who),
    recordExitAppeal: (_: unknown, { input }: Input, ctx: HubContext) => recordExitAppeal(ctx.db, input, ctx.today, ctx.who),
    decideExitAppeal: (_: unknown, { input }: Input, ctx: HubContext) => decideExitAppeal(ctx.db, input, ctx.today, ctx.who),
    withdrawExitCase: (_: unknown, { input }: Input, ctx: HubContext) => withdrawExitCase(ctx.db, input, ctx.today, ctx.who),
    completeExit: (_: unknown, { input }: Input, ctx: HubContext) => completeExit(ctx.db, input, ctx.today, ctx.who),
    recordInspection: (_: unknown, { input }: Input, ctx: HubContext) => recordInspection(ctx.db, input, ctx.today, ctx.who),
    receivePublicReport: (_: unknown, { input }: Input, ctx: HubContext) => receivePublicReport(ctx.db, input, ctx.today, ctx.who),
    startReportInvestigation: (_: unknown, { input }: Input, ctx: HubContext) => startReportInvestigation(ctx.db, input),
    answerPublicReport: (_: unknown, { input }: Input, ctx: HubContext) => answerPublicReport(ctx.db, input, ctx.today, ctx.who),
  },
  ExitCase: {
    pastVacateBy: (c: ExitCaseRow, _: unknown, ctx: HubContext) => isPastVacateBy(c, ctx.today),
    household: (c: ExitCaseRow, _: unknown, ctx: HubContext) => ctx.loaders.household.load(c.householdId),
    tenancy: (c: ExitCaseRow, _: unknown, ctx: HubContext) => (c.tenancyId === null ? null : exitLoaders(ctx).tenancy.load(c.tenancyId)),
    alert: (c: ExitCaseRow, _: unknown, ctx: HubContext) => (c.alertId === null ? null : exitLoaders(ctx).alert.load(c.alertId)),
    history: (c: ExitCaseRow, _: unknown, ctx: HubContext) => exitLoaders(ctx).eventsByCase.load(c.id),
    inspections: (c: ExitCaseRow, _: unknown, ctx: HubContext) => exitLoaders(ctx).inspectionsByCase.load(c.id),
  },
  Inspection: {
    unit: (i: InspectionRow, _: unknown, ctx: HubContext) => ctx.loaders.unit.load(i.unitId),
    household: (i: InspectionRow, _: unknown, ctx: HubContext) => (i.householdId === null ? null : ctx.loaders.household.load(i.householdId)),
    memberPresent: (i: InspectionRow, _: unknown, ctx: HubContext) => (i.memberPresentId === null ? null : exitLoaders(ctx).person.load(i.memberPresentId)),
    exitCase: (i: InspectionRow, _: unknown, ctx: HubContext) => (i.exitCaseId === null ? null : exitLoaders(ctx).exitCase.load(i.exitCaseId)),
    report: (i: InspectionRow, _: unknown, ctx: HubContext) => (i.reportId === null ? null : exitLoaders(ctx).report.load(i.reportId)),
  },
  PublicReport: {
    household: (r: PublicReportRow, _: unknown, ctx: HubContext) => (r.householdId === null ? null : ctx.loaders.household.load(r.householdId)),
    unit: (r: PublicReportRow, _: unknown, ctx: HubContext) => (r.unitId === null ? null : ctx.loaders.unit.load(r.unitId)),
    reporterContact: (r: PublicReportRow, _: unknown, ctx: HubContext) => (ctx.caller && READS_REPORTER.has(ctx.caller.role) ? r.reporterContact : null),
    overdue: (r: PublicReportRow, _: unknown, ctx: HubContext) => isOverdue(r, ctx.today),
    exitCase: (r: PublicReportRow, _: unknown, ctx: HubContext) => (r.exitCaseId === null ? null : exitLoaders(ctx).exitCase.load(r.exitCaseId)),
    inspections: (r: PublicReportRow, _: unknown, ctx: HubContext) => exitLoaders(ctx).inspectionsByReport.load(r.id),
  },
  Household: {
    exitCases: (h: HouseholdRow, _: unknown, ctx: HubContext) => exitLoaders(ctx).exitCasesByHousehold.load(h.id),
    inspections: (h: HouseholdRow, _: unknown, ctx: HubContext) => exitLoaders(ctx).inspectionsByHousehold.load(h.id),
  },
  HousingUnit: {
    inspections: (u: UnitRow, _: unknown, ctx: HubContext) => exitLoaders(ctx).inspectionsByUnit.load(u.id),
  },
  Alert: {
    exitCase: (a: typeof alerts.$inferSelect, _: unknown, ctx: HubContext) => (a.exitCaseId === null ? null : exitLoaders(ctx).exitCase.load(a.exitCaseId)),
  },
};
