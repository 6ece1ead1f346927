// The published subgraph SDL follows the schema: change a .graphql file, run `npm run subgraph:sdl`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SDL, publishedSdl } from '../../src/schema.js';

describe('published subgraph SDL', () => {
  it('schema/published/hub.subgraph.graphql is what the schema publishes now', () => {
    expect(readFileSync(PUBLISHED_SDL, 'utf8') === publishedSdl(), 'schema/published/hub.subgraph.graphql is stale: run npm run subgraph:sdl').toBe(true);
  });

  it('keys entities by internal ids only, never by a resident ID', () => {
    const sdl = publishedSdl();
    const keys = [...sdl.matchAll(/type (\w+)\s+@key\(fields: "([^"]+)"\)/g)].map(([, type, fields]) => `${type}:${fields}`);
    expect(keys.sort()).toEqual(['District:id', 'Household:id', 'HousingUnit:id', 'Person:id']);
    expect(sdl).not.toMatch(/@key\(fields: "[^"]*residentId/);
  });
});
