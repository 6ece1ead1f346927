// `npm run agency-sim`: the seven agencies' live APIs over the same demo data `npm start` seeds.
// `npm run agency-sim -- --subgraph civil-affairs`: that agency as its own GraphQL subgraph instead (issue 15);
// add `--print-sdl` to print its SDL and stop.
import { parseArgs } from 'node:util';
import { connectors } from '../../connectors/index.js';
import { AGENCIES, type AgencyId } from '../agency/connector.js';
import { agencySubgraphSdl } from '../agency/live-graphql.js';
import { loadConfig } from '../config.js';
import { DEFAULT_BUREAU_TIMEZONE, todayIso } from '../domain/working-days.js';
import { generateAgencyRecords } from './agency-data.js';
import { startAgencySim } from './agency-sim.js';
import { startAgencySubgraph } from './agency-subgraph.js';
import { generateDemoData } from './generator.js';

const { values } = parseArgs({ options: { subgraph: { type: 'string' }, 'print-sdl': { type: 'boolean' } } });
const agency = values.subgraph as AgencyId | undefined;
if (agency !== undefined && !AGENCIES.includes(agency)) {
  console.error(`--subgraph: no agency "${agency}" (one of ${AGENCIES.join(', ')})`);
  process.exit(1);
}
if (values['print-sdl']) {
  process.stdout.write(agencySubgraphSdl(connectors[agency ?? 'civil-affairs']));
  process.exit(0);
}

const config = loadConfig();
const today = todayIso(new Date(), process.env['BUREAU_TIMEZONE'] || DEFAULT_BUREAU_TIMEZONE);
const data = generateDemoData({ households: config.DEMO_HOUSEHOLDS, seed: config.DEMO_SEED, today });
const records = generateAgencyRecords(data, config.DEMO_SEED, today);

if (agency) {
  const subjectSecret = config.FEDERATION_SUBJECT_SECRET;
  if (!subjectSecret) {
    console.error('FEDERATION_SUBJECT_SECRET is required: the subgraph knows people by HMAC-SHA256(it, resident ID), as the hub does');
    process.exit(1);
  }
  const port = Number(process.env['AGENCY_SUBGRAPH_PORT'] ?? 4200);
  const subgraph = await startAgencySubgraph({
    agency,
    records,
    asOf: today,
    subjectSecret,
    gatewaySecret: config.GATEWAY_HMAC_SECRET,
    token: process.env['AGENCY_SUBGRAPH_TOKEN'] || undefined,
    port,
    host: '127.0.0.1',
  });
  const name = agency.replaceAll('-', '_');
  console.log(`${agency} subgraph for ${config.DEMO_HOUSEHOLDS} demo households at ${subgraph.url}
It answers requests signed with GATEWAY_HMAC_SECRET${config.GATEWAY_HMAC_SECRET ? '' : ' (unset: none)'} and ones with Bearer AGENCY_SUBGRAPH_TOKEN${process.env['AGENCY_SUBGRAPH_TOKEN'] ? '' : ' (unset: none)'}${!config.GATEWAY_HMAC_SECRET && !process.env['AGENCY_SUBGRAPH_TOKEN'] ? ', so any request' : ''}.
Compose it:        GATEWAY_SUBGRAPHS=hub=http://127.0.0.1:4000/graphql,${name}=${subgraph.url} GATEWAY_HMAC_SECRET=<the same> npm run gateway
Or pull from it:   AGENCY_${name.toUpperCase()}_URL=${subgraph.url} AGENCY_${name.toUpperCase()}_PROTOCOL=graphql AGENCY_${name.toUpperCase()}_TOKEN=<AGENCY_SUBGRAPH_TOKEN> FEDERATION_SUBJECT_SECRET=<the same> npm start`);
} else {
  const port = Number(process.env['AGENCY_SIM_PORT'] ?? 4100);
  const sim = await startAgencySim({ records, asOf: today, port, host: '127.0.0.1' });
  console.log(`Agency simulator for ${config.DEMO_HOUSEHOLDS} demo households at ${sim.url}
Point the hub at it:  AGENCY_BASE_URL=${sim.url} npm start
Contract: docs/agency-api.md`);
}
