// npm run generate:sdl: writes schema/generated/agencies.graphql and the kinds table of
// docs/agency-api.md from the connectors' kinds.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectors } from '../../connectors/index.js';
import { generateAgencySdl, withKindsTable } from './sdl.js';

export const GENERATED_SDL = fileURLToPath(new URL('../../schema/generated/agencies.graphql', import.meta.url));

mkdirSync(fileURLToPath(new URL('../../schema/generated', import.meta.url)), { recursive: true });
writeFileSync(GENERATED_SDL, generateAgencySdl(connectors));
process.stdout.write(`wrote ${GENERATED_SDL}\n`);

const DOC = fileURLToPath(new URL('../../docs/agency-api.md', import.meta.url));
writeFileSync(DOC, withKindsTable(readFileSync(DOC, 'utf8'), connectors));
process.stdout.write(`wrote the kinds table of ${DOC}\n`);
