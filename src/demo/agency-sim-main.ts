// `npm run agency-sim`: the seven agencies' live APIs over the same demo data `npm start` seeds.
import { loadConfig } from '../config.js';
import { DEFAULT_BUREAU_TIMEZONE, todayIso } from '../domain/working-days.js';
import { generateAgencyRecords } from './agency-data.js';
import { startAgencySim } from './agency-sim.js';
import { generateDemoData } from './generator.js';

const config = loadConfig();
const today = todayIso(new Date(), process.env['BUREAU_TIMEZONE'] || DEFAULT_BUREAU_TIMEZONE);
const port = Number(process.env['AGENCY_SIM_PORT'] ?? 4100);
const data = generateDemoData({ households: config.DEMO_HOUSEHOLDS, seed: config.DEMO_SEED, today });
const sim = await startAgencySim({ records: generateAgencyRecords(data, config.DEMO_SEED, today), asOf: today, port, host: '127.0.0.1' });
console.log(`Agency simulator for ${config.DEMO_HOUSEHOLDS} demo households at ${sim.url}
Point the hub at it:  AGENCY_BASE_URL=${sim.url} npm start
Contract: docs/agency-api.md`);
