// npm run subgraph:sdl: writes schema/published/hub.subgraph.graphql, the hub's federation subgraph SDL
// (test/unit/subgraph-sdl.test.ts fails when it is stale).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PUBLISHED_SDL, publishedSdl } from './schema.js';

mkdirSync(dirname(PUBLISHED_SDL), { recursive: true });
writeFileSync(PUBLISHED_SDL, publishedSdl());
process.stdout.write(`wrote ${PUBLISHED_SDL}\n`);
