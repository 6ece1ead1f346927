// The executable schema: the SDL files in schema/ (and schema/generated/, derived from the connectors)
// joined with the resolver map in resolvers/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers/index.js';
import { applyAuthorization } from './auth/authorize.js';

const schemaDir = fileURLToPath(new URL('../schema', import.meta.url));

const sdlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));

export function loadTypeDefs(): string[] {
  return [...sdlFiles(schemaDir), ...sdlFiles(join(schemaDir, 'generated'))];
}

export function buildSchema(): GraphQLSchema {
  return applyAuthorization(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers }));
}
