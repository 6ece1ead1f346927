import {
  completeExit,
  decideExitAppeal,
  isPastVacateBy,
  listExitCases,
  openExitCase,
  recordExitAppeal,
  serveExitNotice,
  withdrawExitCase,
} from '../src/exit/cases.js';
import { alertLoaders } from '../src/detection/loaders.js';
import { recordInspection } from '../src/exit/inspections.js';
import { exitLoaders } from '../src/exit/loaders.js';
import { answerPublicReport, isOverdue, listPublicReports, receivePublicReport, startReportInvestigation } from '../src/exit/reports.js';
import type { Resolvers } from '../src/generated/graphql.js';

function parseId(id: string): number | null {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** the reporter is personal data: only these roles read it */
const READS_REPORTER = new Set(['ADMIN', 'MANAGER']);

export const exitResolvers: Resolvers = {
  Query: {
    exitCase: (_, { id }, ctx) => {
      const n = parseId(id);
      return n === null ? null : exitLoaders(ctx).exitCase.load(n);
    },
    exitCases: (_, args, ctx) => listExitCases(ctx.db, args, ctx.scope, ctx.today, ctx.config.MAX_PAGE_SIZE),
    inspection: (_, { id }, ctx) => {
      const n = parseId(id);
      return n === null ? null : exitLoaders(ctx).inspection.load(n);
    },
    publicReport: (_, { id }, ctx) => {
      const n = parseId(id);
      return n === null ? null : exitLoaders(ctx).report.load(n);
    },
    publicReports: (_, args, ctx) => listPublicReports(ctx.db, args, ctx.scope, ctx.today, ctx.config.MAX_PAGE_SIZE),
  },
  Mutation: {
    openExitCase: (_, { input }, ctx) => openExitCase(ctx.db, input, ctx.today, ctx.who),
    serveExitNotice: (_, { input }, ctx) => serveExitNotice(ctx.db, input, ctx.today, ctx.who),
    recordExitAppeal: (_, { input }, ctx) => recordExitAppeal(ctx.db, input, ctx.today, ctx.who),
    decideExitAppeal: (_, { input }, ctx) => decideExitAppeal(ctx.db, input, ctx.today, ctx.who),
    withdrawExitCase: (_, { input }, ctx) => withdrawExitCase(ctx.db, input, ctx.today, ctx.who),
    completeExit: (_, { input }, ctx) => completeExit(ctx.db, input, ctx.today, ctx.who),
    recordInspection: (_, { input }, ctx) => recordInspection(ctx.db, input, ctx.today, ctx.who),
    receivePublicReport: (_, { input }, ctx) => receivePublicReport(ctx.db, input, ctx.today, ctx.who),
    startReportInvestigation: (_, { input }, ctx) => startReportInvestigation(ctx.db, input),
    answerPublicReport: (_, { input }, ctx) => answerPublicReport(ctx.db, input, ctx.today, ctx.who),
  },
  ExitCase: {
    pastVacateBy: (c, _, ctx) => isPastVacateBy(c, ctx.today),
    household: async (c, _, ctx) => (await ctx.loaders.household.load(c.householdId))!,
    tenancy: (c, _, ctx) => (c.tenancyId === null ? null : ctx.loaders.tenancy.load(c.tenancyId)),
    alert: (c, _, ctx) => (c.alertId === null ? null : alertLoaders(ctx).alert.load(c.alertId)),
    history: (c, _, ctx) => exitLoaders(ctx).eventsByCase.load(c.id),
    inspections: (c, _, ctx) => exitLoaders(ctx).inspectionsByCase.load(c.id),
  },
  Inspection: {
    unit: async (i, _, ctx) => (await ctx.loaders.unit.load(i.unitId))!,
    household: (i, _, ctx) => (i.householdId === null ? null : ctx.loaders.household.load(i.householdId)),
    memberPresent: (i, _, ctx) => (i.memberPresentId === null ? null : ctx.loaders.person.load(i.memberPresentId)),
    exitCase: (i, _, ctx) => (i.exitCaseId === null ? null : exitLoaders(ctx).exitCase.load(i.exitCaseId)),
    report: (i, _, ctx) => (i.reportId === null ? null : exitLoaders(ctx).report.load(i.reportId)),
  },
  PublicReport: {
    household: (r, _, ctx) => (r.householdId === null ? null : ctx.loaders.household.load(r.householdId)),
    unit: (r, _, ctx) => (r.unitId === null ? null : ctx.loaders.unit.load(r.unitId)),
    reporterContact: (r, _, ctx) => (ctx.caller && READS_REPORTER.has(ctx.caller.role) ? r.reporterContact : null),
    overdue: (r, _, ctx) => isOverdue(r, ctx.today),
    exitCase: (r, _, ctx) => (r.exitCaseId === null ? null : exitLoaders(ctx).exitCase.load(r.exitCaseId)),
    inspections: (r, _, ctx) => exitLoaders(ctx).inspectionsByReport.load(r.id),
  },
  Household: {
    exitCases: (h, _, ctx) => exitLoaders(ctx).exitCasesByHousehold.load(h.id),
    inspections: (h, _, ctx) => exitLoaders(ctx).inspectionsByHousehold.load(h.id),
  },
  HousingUnit: {
    inspections: (u, _, ctx) => exitLoaders(ctx).inspectionsByUnit.load(u.id),
  },
  Alert: {
    exitCase: (a, _, ctx) => (a.exitCaseId === null ? null : exitLoaders(ctx).exitCase.load(a.exitCaseId)),
  },
};
