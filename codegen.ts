// Resolver and argument types generated from the SDL (GraphQL Code Generator): `npm run codegen`
// writes src/generated/graphql.ts; test/unit/codegen.test.ts fails when that file is stale.
// The core generator and its two plugins, run in-process: the CLI's file loaders and watchers need
// Node 22 in their current releases; the schema is the one src/schema.ts builds.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import * as typescript from '@graphql-codegen/typescript';
import * as typescriptResolvers from '@graphql-codegen/typescript-resolvers';
import { MapperKind, mapSchema, printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse } from 'graphql';
import { buildSubgraph } from './src/schema.js';

const root = fileURLToPath(new URL('.', import.meta.url));
export const OUTPUT = 'src/generated/graphql.ts';

/** Import paths are relative to the generated file; `#` names the export. */
const rows = (file: string, type: string) => `../${file}#${type}`;

export const config = {
  useTypeImports: true,
  enumsAsTypes: true,
  strictScalars: true,
  contextType: '../context.js#HubContext',
  // the hub is a federation subgraph: entities get typed __resolveReference
  federation: true,
  scalars: {
    ID: { input: 'string', output: 'string | number' },
    Date: 'string',
    // rows carry timestamps as Date; the scalar serializes either
    DateTime: { input: 'Date', output: 'Date | string' },
    JSON: { input: 'never', output: 'unknown' },
    // the federation spec's own scalars (strings on the wire; _Any is a representation)
    _Any: 'Record<string, unknown>',
    link__Import: 'string',
    federation__FieldSet: 'string',
    federation__Scope: 'string',
    federation__Policy: 'string',
    federation__ContextFieldValue: 'string',
  },
  // the objects resolvers really receive as parents: rows, and a few views built from them
  mappers: {
    Household: rows('households/loaders.js', 'HouseholdRow'),
    HouseholdConnection: rows('households/service.js', 'HouseholdConnectionView'),
    Person: rows('households/loaders.js', 'PersonRow'),
    CurrentHousing: rows('households/loaders.js', 'CurrentHousingView'),
    Tenancy: rows('households/loaders.js', 'TenancyRow'),
    RentLedgerEntry: rows('households/loaders.js', 'LedgerLineView'),
    Application: rows('households/loaders.js', 'ApplicationRow'),
    ApplicationEvent: rows('households/loaders.js', 'ApplicationEventRow'),
    WaitlistEntry: rows('households/loaders.js', 'WaitlistRow'),
    HouseholdChange: rows('households/loaders.js', 'HouseholdChangeRow'),
    HouseholdChangeResult: rows('households/changes.js', 'ChangeResultView'),
    SpecialDifficulty: rows('households/loaders.js', 'SpecialDifficultyRow'),
    QualificationException: rows('households/loaders.js', 'QualificationExceptionRow'),
    District: rows('reference/districts.js', 'DistrictRow'),
    Policy: rows('reference/districts.js', 'PolicyRow'),
    PolicyParameter: rows('policy/service.js', 'ParameterRow'),
    QualificationResult: rows('policy/qualification.js', 'HouseholdQualification'),
    QualificationChange: rows('policy/evaluations.js', 'QualificationChange as QualificationChangeView'),
    StoredQualification: rows('policy/evaluations.js', 'StoredEvaluation'),
    HousingUnit: rows('reference/units.js', 'UnitRow'),
    HousingUnitConnection: rows('reference/units.js', 'HousingUnitConnectionView'),
    Alert: rows('detection/loaders.js', 'AlertRow'),
    AlertEvent: rows('detection/loaders.js', 'AlertEventRow'),
    AlertConnection: rows('detection/service.js', 'AlertConnectionView'),
    WebhookEndpoint: rows('detection/service.js', 'WebhookEndpointRow'),
    WebhookDelivery: rows('detection/service.js', 'WebhookDeliveryView'),
    Offer: rows('allocation/service.js', 'OfferRow'),
    OfferConnection: rows('allocation/read.js', 'OfferConnectionView'),
    LotteryDraw: rows('allocation/draw.js', 'DrawRow'),
    ExitCase: rows('exit/cases.js', 'ExitCaseRow'),
    ExitCaseEvent: rows('exit/cases.js', 'ExitCaseEventRow'),
    ExitCaseConnection: rows('exit/cases.js', 'ExitCaseConnectionView'),
    Inspection: rows('exit/inspections.js', 'InspectionRow'),
    PublicReport: rows('exit/reports.js', 'PublicReportRow'),
    PublicReportConnection: rows('exit/reports.js', 'PublicReportConnectionView'),
    RentPayment: rows('rent/payments.js', 'RentPaymentRow'),
    RentAdjustment: rows('rent/adjustments.js', 'RentAdjustmentRow'),
    Subsidy: rows('rent/subsidies.js', 'SubsidyRow'),
    ReviewRun: rows('jobs/reviews.js', 'ReviewProgress'),
    ReviewedHousehold: rows('jobs/review-outcomes.js', 'ReviewedHousehold as ReviewedHouseholdRow'),
    SpotCheck: rows('jobs/spot-check.js', 'SpotCheck as SpotCheckRow'),
    ApiKey: rows('auth/api-keys.js', 'ApiKeyRow'),
    Caller: rows('auth/caller.js', 'Caller as CallerRow'),
    DeathRecord: rows('agency/loaders.js', 'AgencyValue'),
  },
};

export async function generate(): Promise<string> {
  // the hub's subgraph schema (src/schema.ts) but for _entities and _service, which the resolvers
  // never implement (the plugin's federation mode leaves out their types, so it must not see the fields either)
  const schemaAst = mapSchema(buildSubgraph(false), {
    [MapperKind.TYPE]: (type) => (['_Service', '_Entity', '_Any'].includes(type.name) ? null : type),
    [MapperKind.QUERY_ROOT_FIELD]: (field, fieldName) => (fieldName === '_entities' || fieldName === '_service' ? null : field),
  });
  const body = await codegen({
    filename: OUTPUT,
    schema: parse(printSchemaWithDirectives(schemaAst)),
    schemaAst,
    documents: [],
    config,
    plugins: [{ typescript: {} }, { typescriptResolvers: {} }],
    pluginMap: { typescript, typescriptResolvers },
  });
  return `// generated by \`npm run codegen\` (codegen.ts) from schema/**/*.graphql: do not edit\n${body}`;
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  writeFileSync(join(root, OUTPUT), await generate());
  console.error(`wrote ${OUTPUT}`);
}
