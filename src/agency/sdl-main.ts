// npm run generate:sdl: writes schema/generated/agencies.graphql from the connectors' kinds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectors } from '../../connectors/index.js';
import { generateAgencySdl } from './sdl.js';

export const GENERATED_SDL = fileURLToPath(new URL('../../schema/generated/agencies.graphql', import.meta.url));

mkdirSync(fileURLToPath(new URL('../../schema/generated', import.meta.url)), { recursive: true });
writeFileSync(GENERATED_SDL, generateAgencySdl(connectors));
process.stdout.write(`wrote ${GENERATED_SDL}\n`);
