// The executable schema: the SDL files in schema/ joined with the resolver map in resolvers/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../resolvers/index.js';
import { applyAuthorization } from './auth/authorize.js';

const schemaDir = fileURLToPath(new URL('../schema', import.meta.url));

export function loadTypeDefs(): string[] {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(schemaDir, f), 'utf8'));
}

export function buildSchema(): GraphQLSchema {
  return applyAuthorization(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers }));
}
