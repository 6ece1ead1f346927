// Access control in one place. The SDL says who may do what (@auth on a field or a whole type,
// @district for the district an operation touches, @scopedList for lists a district-bound caller
// sees only part of, @agencyFeed for feeds); this wraps every resolver of the schema accordingly.
// A root field without @auth fails the schema build: nothing is open by default.
// The wrapper checks and never rewrites arguments: lists narrow themselves to ctx.scope.
// As a federation subgraph: _entities and _service answer only requests the gateway signed, and each
// entity a representation names is resolved under the same roles and district scope as its root field.
import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { sql } from 'drizzle-orm';
import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { HubContext } from '../context.js';
import { hubError } from '../errors.js';
import type { AgencyId } from '../agency/connector.js';
import { forbidden, mayFeed, unauthenticated, type Role } from './caller.js';
import { pathKey } from './mask.js';
import { inScope, type DistrictScope } from './scope.js';

type Via =
  | 'DISTRICT'
  | 'HOUSEHOLD'
  | 'APPLICATION'
  | 'ALERT'
  | 'UNIT'
  | 'OFFER'
  | 'TENANCY'
  | 'PERSON'
  | 'EXIT_CASE'
  | 'INSPECTION'
  | 'REPORT'
  | 'SUBSIDY'
  | 'EXCEPTION'
  | 'SPECIAL_DIFFICULTY'
  | 'RENT_ADJUSTMENT';

/**
 * How an id leads to a district: the table holding the record, and its district column or the
 * household (or tenancy) it belongs to. One line per record kind a @district argument may name.
 */
const VIA: Record<Exclude<Via, 'DISTRICT' | 'HOUSEHOLD'>, { table: string; district?: string; household?: string; tenancy?: string }> = {
  APPLICATION: { table: 'applications', household: 'household_id' },
  ALERT: { table: 'alerts', district: 'district_id' },
  UNIT: { table: 'housing_units', district: 'district_id' },
  OFFER: { table: 'offers', district: 'district_id' },
  TENANCY: { table: 'tenancies', household: 'household_id' },
  PERSON: { table: 'persons', household: 'household_id' },
  EXIT_CASE: { table: 'exit_cases', district: 'district_id' },
  INSPECTION: { table: 'inspections', district: 'district_id' },
  REPORT: { table: 'public_reports', district: 'district_id' },
  SUBSIDY: { table: 'subsidies', household: 'household_id' },
  EXCEPTION: { table: 'qualification_exceptions', household: 'household_id' },
  SPECIAL_DIFFICULTY: { table: 'special_difficulties', household: 'household_id' },
  RENT_ADJUSTMENT: { table: 'rent_adjustments', tenancy: 'tenancy_id' },
};

/**
 * The district of an object a resolver returns, for types whose objects belong to one: their own
 * `districtId`, else the household's (`householdId`). A district-bound caller sees only its own.
 */
const SCOPED_TYPES = new Set([
  'Household',
  'Alert',
  'Person',
  'LotteryDraw',
  'Offer',
  'ExitCase',
  'Inspection',
  'PublicReport',
  'Subsidy',
  'QualificationException',
  'SpecialDifficulty',
  'HouseholdChange',
]);

async function districtOf(value: Record<string, unknown>, ctx: HubContext): Promise<string | null> {
  if (typeof value['districtId'] === 'string') return value['districtId'];
  const householdId = value['householdId'];
  if (typeof householdId === 'number') return (await ctx.loaders.household.load(householdId))?.districtId ?? null;
  return null;
}

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

function argAt(args: Record<string, unknown>, path: string): unknown {
  let value: unknown = args;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

async function districtVia(via: Via, value: unknown, ctx: HubContext): Promise<string | null> {
  if (value === undefined || value === null) return null;
  if (via === 'DISTRICT') return String(value);
  const id = Number(value);
  if (!Number.isSafeInteger(id)) return null;
  if (via === 'HOUSEHOLD') return (await ctx.loaders.household.load(id))?.districtId ?? null;
  const { table, district, household, tenancy } = VIA[via];
  const column = district ?? household ?? tenancy!;
  const rows = await ctx.db.execute(sql`select ${sql.identifier(column)} as ref from ${sql.identifier(table)} where id = ${id}`);
  const ref = (rows as unknown as { rows: { ref: string | number | null }[] }).rows[0]?.ref;
  if (ref === undefined || ref === null) return null;
  if (district) return String(ref);
  if (household) return (await ctx.loaders.household.load(Number(ref)))?.districtId ?? null;
  return districtVia('TENANCY', ref, ctx);
}

async function assertInScope(result: unknown, typeName: string, scope: DistrictScope, ctx: HubContext): Promise<void> {
  if (!SCOPED_TYPES.has(typeName) || scope.districts === null || result === null || result === undefined) return;
  for (const value of Array.isArray(result) ? result : [result]) {
    if (value === null) continue;
    const district = await districtOf(value as Record<string, unknown>, ctx);
    if (!district || !inScope(scope, district)) throw forbidden();
  }
}

interface Rules {
  roles: Role[] | null;
  district: { arg: string; via: Via } | null;
  scopedList: string | null;
  agencyFeed: AgencyId | null;
  releasesIdentity: boolean;
}

function wrap(
  resolve: GraphQLFieldResolver<unknown, HubContext>,
  rules: Rules,
  returnType: string,
  isRoot: boolean,
  isMutation: boolean,
  personal: string | null = null,
) {
  const scoped = SCOPED_TYPES.has(returnType);
  return (source: unknown, args: Record<string, unknown>, ctx: HubContext, info: GraphQLResolveInfo): unknown => {
    const caller = ctx.caller;
    if (!caller) throw unauthenticated('send Authorization: Bearer <token>');
    if (rules.roles && !rules.roles.includes(caller.role)) throw forbidden();
    if (rules.agencyFeed && !mayFeed(caller, rules.agencyFeed)) throw forbidden();
    if (personal) {
      const household = householdShown(info.parentType.name, source);
      if (household !== null) ctx.audit.viewed(household, personal);
    }
    const scope = ctx.scope;
    if (rules.scopedList !== null && scope.districts !== null) {
      // the list narrows itself to ctx.scope; a district it names (in the input object named, or among
      // the field's own arguments) must be one of the caller's
      const input = (rules.scopedList ? (args[rules.scopedList] ?? {}) : args) as Record<string, unknown>;
      if (input['districtId'] && !inScope(scope, String(input['districtId']))) throw forbidden();
    }
    if (rules.releasesIdentity) ctx.released.add(pathKey(responsePath(info)));
    const bound = scope.districts !== null;
    const needsAsync = (rules.district && bound) || (scoped && bound) || isMutation;
    if (!needsAsync) return resolve(source, args, ctx, info);
    return (async () => {
      const named = rules.district ? argAt(args, rules.district.arg) : undefined;
      // an absent optional district argument: the resolver narrows to ctx.scope itself
      if (rules.district && bound && named !== undefined && named !== null) {
        const district = await districtVia(rules.district.via, named, ctx);
        if (!district || !inScope(scope, district)) throw forbidden();
      }
      const result = await resolve(source, args, ctx, info);
      // an id a district-bound caller may not see, and one that does not exist, answer alike
      if (isRoot && scoped && bound && result === null) throw forbidden();
      if (scoped) await assertInScope(result, returnType, scope, ctx);
      if (isMutation) ctx.audit.record(info.fieldName, { householdId: householdTouched(result, returnType, args), detail: args });
      return result;
    })();
  };
}

/** the household a mutation touched: the one it returns or belongs to, else the one its input names */
function householdTouched(result: unknown, returnType: string, args: Record<string, unknown>): number | null {
  const row = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  const id = returnType === 'Household' ? row['id'] : (row['householdId'] ?? argAt(args, 'input.householdId') ?? args['householdId']);
  const n = typeof id === 'string' ? Number(id) : id;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Fields that show a person or a household's housing (A3a): each shown leaves a VIEW entry for the
 * household, one per household and request, whoever asks and whether or not agency data was read.
 */
const PERSONAL_FIELDS: Record<string, ReadonlySet<string>> = {
  // subjectRef: a pseudonym of the resident ID, read by the gateway to ask an agency's subgraph about the person
  Person: new Set(['residentId', 'name', 'birthDate', 'sex', 'identity', 'subjectRef']),
  Household: new Set(['members', 'formerMembers', 'head', 'currentHousing', 'tenancy', 'tenancies', 'unit']),
};

function householdShown(typeName: string, source: unknown): number | null {
  const row = source as Record<string, unknown> | null;
  const id = typeName === 'Household' ? row?.['id'] : row?.['householdId'];
  const n = typeof id === 'string' ? Number(id) : id;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
}

function responsePath(info: GraphQLResolveInfo): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
  return out;
}

/** unwrapped by hand: graphql's own helpers check instanceof, and tests may load graphql twice (ESM and CJS) */
function namedType(type: unknown): string {
  let t = type as { ofType?: unknown; name?: string };
  while (t.ofType) t = t.ofType as typeof t;
  return t.name!;
}

/** the subgraph's own root fields: for the gateway only, never for a caller that asks the hub directly */
const GATEWAY_ONLY = new Set(['_entities', '_service']);

/** fields only the gateway reads (keys it plans with, @inaccessible to its clients), under the type's rules besides */
const GATEWAY_ONLY_FIELDS = new Set(['Person.subjectRef']);

function gatewayOnly(resolve: GraphQLFieldResolver<unknown, HubContext>, fieldName: string): GraphQLFieldResolver<unknown, HubContext> {
  return (source, args, ctx, info) => {
    // the gateway forwards the caller's Authorization: the gate has authenticated it as usual
    if (!ctx.caller) throw unauthenticated('send Authorization: Bearer <token>');
    if (!ctx.gatewaySigned) throw hubError('FORBIDDEN', `${fieldName} answers only requests signed by the federation gateway`);
    return resolve(source, args, ctx, info);
  };
}

/**
 * The root field that reads each entity by its key: an entity resolved through _entities needs the
 * roles that field needs (the type's own @auth first), and a district-bound caller gets null for one
 * outside its districts where the root field would not show it either.
 */
const ENTITY_ROOT_FIELDS: Record<string, string> = { Household: 'household', Person: 'person', HousingUnit: 'housingUnit', District: 'district' };

type ReferenceResolver = (reference: Record<string, unknown>, ctx: HubContext, info: GraphQLResolveInfo) => unknown;

interface SubgraphExtensions {
  apollo?: { subgraph?: { resolveReference?: ReferenceResolver; [key: string]: unknown }; [key: string]: unknown };
  [key: string]: unknown;
}

function entityRoles(schema: GraphQLSchema, typeName: string): Role[] {
  const type = schema.getType(typeName)!;
  const typeRoles = getDirective(schema, type as never, 'auth')?.[0]?.['roles'] as Role[] | undefined;
  if (typeRoles) return typeRoles;
  const rootName = ENTITY_ROOT_FIELDS[typeName];
  const root = rootName ? schema.getQueryType()?.getFields()[rootName] : undefined;
  const rootRoles = root ? (getDirective(schema, root, 'auth')?.[0]?.['roles'] as Role[] | undefined) : undefined;
  if (!rootRoles) throw new Error(`${typeName} is an entity but neither it nor a root field reading it has @auth: say who may resolve it`);
  return rootRoles;
}

/** entities whose root field shows a district-bound caller only its districts' (a District itself any caller sees) */
const DISTRICT_SCOPED_ENTITIES = new Set(['Household', 'Person', 'HousingUnit']);

function guardReference(resolveReference: ReferenceResolver, typeName: string, roles: Role[]): ReferenceResolver {
  return async (reference, ctx, info) => {
    const caller = ctx.caller;
    if (!caller) throw unauthenticated('send Authorization: Bearer <token>');
    if (!roles.includes(caller.role)) throw forbidden();
    const value = (await resolveReference(reference, ctx, info)) as Record<string, unknown> | null | undefined;
    if (value === null || value === undefined) return null;
    if (ctx.scope.districts !== null && DISTRICT_SCOPED_ENTITIES.has(typeName)) {
      const district = await districtOf(value, ctx);
      if (!district || !inScope(ctx.scope, district)) return null;
    }
    return value;
  };
}

export function applyAuthorization(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_TYPE]: (type) => {
      const extensions = type.extensions as SubgraphExtensions;
      const resolveReference = extensions.apollo?.subgraph?.resolveReference;
      const isEntity = !!getDirective(schema, type, 'key')?.length;
      if (!isEntity && !resolveReference) return type;
      if (!resolveReference) throw new Error(`${type.name} is an entity without __resolveReference: _entities would answer the representation unchecked`);
      const guarded = guardReference(resolveReference, type.name, entityRoles(schema, type.name));
      const config = type.toConfig();
      // the type's own class: graphql may be loaded twice (ESM and CJS) in tests
      const Type = type.constructor as new (c: typeof config) => typeof type;
      return new Type({
        ...config,
        extensions: { ...extensions, apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference: guarded } } },
      });
    },
    [MapperKind.OBJECT_FIELD]: (field: GraphQLFieldConfig<unknown, HubContext>, fieldName, typeName) => {
      const type = schema.getType(typeName)!;
      const fieldAuth = getDirective(schema, field, 'auth')?.[0];
      const typeAuth = getDirective(schema, type as never, 'auth')?.[0];
      const district = getDirective(schema, field, 'district')?.[0];
      const scopedList = getDirective(schema, field, 'scopedList')?.[0];
      const rules: Rules = {
        roles: ((fieldAuth ?? typeAuth)?.['roles'] as Role[] | undefined) ?? null,
        district: district ? { arg: district['arg'] as string, via: (district['via'] as Via | undefined) ?? 'DISTRICT' } : null,
        scopedList: scopedList ? ((scopedList['arg'] as string | undefined) ?? '') : null,
        agencyFeed: (getDirective(schema, field, 'agencyFeed')?.[0]?.['agency'] as AgencyId | undefined) ?? null,
        releasesIdentity: !!getDirective(schema, field, 'releasesIdentity')?.[0],
      };
      const isRoot = ROOTS.has(typeName);
      if (typeName === schema.getQueryType()?.name && GATEWAY_ONLY.has(fieldName)) {
        return { ...field, resolve: gatewayOnly((field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, HubContext>, fieldName) };
      }
      if (isRoot && !rules.roles) throw new Error(`${typeName}.${fieldName} has no @auth: every operation must say who may call it`);
      const returnType = namedType(field.type);
      if (!rules.roles && !SCOPED_TYPES.has(returnType)) return field;
      const wrapped = { ...field };
      if (typeName === 'Subscription') {
        // the role and district checks run when subscribing; each event is the alert itself
        wrapped.subscribe = wrap(field.subscribe ?? defaultFieldResolver, { ...rules }, '', false, false) as never;
      } else {
        const personal = PERSONAL_FIELDS[typeName]?.has(fieldName) ? `${typeName}.${fieldName}` : null;
        wrapped.resolve = wrap(
          (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, HubContext>,
          rules,
          returnType,
          isRoot,
          typeName === 'Mutation',
          personal,
        );
        // refused before the type's rules run, so a refused read leaves no VIEW entry
        if (GATEWAY_ONLY_FIELDS.has(`${typeName}.${fieldName}`)) wrapped.resolve = gatewayOnly(wrapped.resolve, `${typeName}.${fieldName}`);
      }
      return wrapped;
    },
  });
}
