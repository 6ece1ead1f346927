import type { HubContext } from '../src/context.js';
import { badUserInput } from '../src/errors.js';
import { MAX_IMPORT_RECORDS, type ImportMode } from '../src/imports/batch.js';
import { createDistrict, listDistricts, updateDistrict, type DistrictRow } from '../src/reference/districts.js';
import { importUnits } from '../src/reference/unit-import.js';
import {
  countHousingUnits,
  createHousingUnit,
  findHousingUnit,
  listHousingUnits,
  setUnitAvailability,
  updateHousingUnit,
  type HousingUnitFilter,
  type UnitRow,
} from '../src/reference/units.js';

interface UnitConnectionParent {
  filter: HousingUnitFilter | null | undefined;
  page: Awaited<ReturnType<typeof listHousingUnits>>;
}

export const referenceResolvers = {
  Query: {
    districts: (_: unknown, __: unknown, ctx: HubContext) => listDistricts(ctx.db),
    district: (_: unknown, { id }: { id: string }, ctx: HubContext) => ctx.loaders.district.load(id.trim().toUpperCase()),
    housingUnit: (_: unknown, { id }: { id: string }, ctx: HubContext) => findHousingUnit(ctx.db, id),
    housingUnits: async (
      _: unknown,
      args: { filter?: HousingUnitFilter | null; first?: number | null; after?: string | null },
      ctx: HubContext,
    ): Promise<UnitConnectionParent> => {
      const page = await listHousingUnits(ctx.db, args, ctx.config.MAX_PAGE_SIZE);
      for (const u of page.nodes) ctx.loaders.unit.prime(u.id, u);
      return { filter: args.filter, page };
    },
  },
  Mutation: {
    createDistrict: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => createDistrict(ctx.db, input, ctx.who),
    updateDistrict: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => updateDistrict(ctx.db, input, ctx.who),
    createHousingUnit: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => createHousingUnit(ctx.db, input, ctx.who),
    updateHousingUnit: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => updateHousingUnit(ctx.db, input, ctx.who),
    setUnitAvailability: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => setUnitAvailability(ctx.db, input, ctx.who),
    importHousingUnits: (_: unknown, args: { batchKey: string; mode: ImportMode; units: unknown[] }, ctx: HubContext) => {
      if (!args.batchKey.trim()) throw badUserInput('batchKey', 'must not be empty');
      if (args.batchKey.length > 200) throw badUserInput('batchKey', 'at most 200 characters');
      if (args.units.length > MAX_IMPORT_RECORDS) throw badUserInput('units', `at most ${MAX_IMPORT_RECORDS} units per import`);
      return importUnits(ctx.db, { batchKey: args.batchKey, mode: args.mode, records: args.units, by: ctx.who });
    },
  },
  HousingUnitConnection: {
    nodes: (p: UnitConnectionParent) => p.page.nodes,
    pageInfo: (p: UnitConnectionParent) => ({ hasNextPage: p.page.hasNextPage, endCursor: p.page.endCursor }),
    totalCount: (p: UnitConnectionParent, _: unknown, ctx: HubContext) => countHousingUnits(ctx.db, p.filter),
  },
  District: {
    policy: (d: DistrictRow, _: unknown, ctx: HubContext) => ctx.policies.policy(d.policyId),
  },
  HousingUnit: {
    district: (u: UnitRow, _: unknown, ctx: HubContext) => ctx.loaders.district.load(u.districtId),
  },
};
