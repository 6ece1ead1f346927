import { badUserInput } from '../src/errors.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { MAX_IMPORT_RECORDS } from '../src/imports/batch.js';
import { createDistrict, listDistricts, updateDistrict } from '../src/reference/districts.js';
import { importUnits } from '../src/reference/unit-import.js';
import { createHousingUnit, findHousingUnit, listHousingUnits, setUnitAvailability, updateHousingUnit } from '../src/reference/units.js';

export const referenceResolvers: Resolvers = {
  Query: {
    districts: (_, __, ctx) => listDistricts(ctx.db),
    district: (_, { id }, ctx) => ctx.loaders.district.load(id.trim().toUpperCase()),
    housingUnit: (_, { id }, ctx) => findHousingUnit(ctx.db, id),
    housingUnits: async (_, args, ctx) => {
      const connection = await listHousingUnits(ctx.db, args, ctx.scope, ctx.config.MAX_PAGE_SIZE);
      for (const u of connection.nodes) ctx.loaders.unit.prime(u.id, u);
      return connection;
    },
  },
  Mutation: {
    createDistrict: (_, { input }, ctx) => createDistrict(ctx.db, input, ctx.who),
    updateDistrict: (_, { input }, ctx) => updateDistrict(ctx.db, input, ctx.who),
    createHousingUnit: (_, { input }, ctx) => createHousingUnit(ctx.db, input, ctx.who),
    updateHousingUnit: (_, { input }, ctx) => updateHousingUnit(ctx.db, input, ctx.who),
    setUnitAvailability: (_, { input }, ctx) => setUnitAvailability(ctx.db, input, ctx.who),
    importHousingUnits: (_, args, ctx) => {
      if (!args.batchKey.trim()) throw badUserInput('batchKey', 'must not be empty');
      if (args.batchKey.length > 200) throw badUserInput('batchKey', 'at most 200 characters');
      if (args.units.length > MAX_IMPORT_RECORDS) throw badUserInput('units', `at most ${MAX_IMPORT_RECORDS} units per import`);
      return importUnits(ctx.db, { batchKey: args.batchKey, mode: args.mode, records: args.units, by: ctx.who });
    },
  },
  District: {
    __resolveReference: (ref, ctx) => ctx.loaders.district.load(String(ref.id).trim().toUpperCase()),
    policy: async (d, _, ctx) => (await ctx.policies.policy(d.policyId))!,
  },
  HousingUnit: {
    __resolveReference: (ref, ctx) => {
      const n = Number(ref.id);
      return Number.isSafeInteger(n) && n > 0 ? ctx.loaders.unit.load(n) : null;
    },
    district: async (u, _, ctx) => (await ctx.loaders.district.load(u.districtId))!,
  },
};
