import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute, GraphQLError, parse, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compiledExecution } from '../../src/http/compiled-execution.js';

interface Seen {
  paths: string[];
  parents: string[];
  order: string[];
}

function schemaWith(seen: Seen) {
  const path = (info: GraphQLResolveInfo) => {
    const out: (string | number)[] = [];
    for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) out.unshift(p.key);
    return out.join('.');
  };
  return makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        people(names: [String!]!): [Person!]!
        strict: Person!
        greeting(name: String = "world"): String!
      }
      type Mutation {
        step(name: String!): String!
      }
      type Person {
        name: String!
        initial: String!
        checked: String
        friends: [Person!]!
      }
    `,
    resolvers: {
      Query: {
        people: (_: unknown, { names }: { names: string[] }) => names.map((name) => ({ name })),
        strict: () => ({ name: 'bad' }),
        greeting: (_: unknown, { name }: { name: string }) => `hello ${name}`,
      },
      Mutation: {
        step: async (_: unknown, { name }: { name: string }) => {
          await new Promise((resolve) => setTimeout(resolve, name === 'first' ? 20 : 0));
          seen.order.push(name);
          return name;
        },
      },
      Person: {
        initial: (p: { name: string }, _: unknown, __: unknown, info: GraphQLResolveInfo) => {
          seen.paths.push(path(info));
          seen.parents.push(info.parentType.name);
          return p.name[0];
        },
        checked: async (p: { name: string }) => {
          if (p.name === 'bad') throw new GraphQLError('refused', { extensions: { code: 'FORBIDDEN' } });
          return p.name;
        },
        friends: (p: { name: string }) => (p.name === 'ann' ? [{ name: 'bob' }] : []),
      },
    },
  });
}

async function both(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const seenCompiled: Seen = { paths: [], parents: [], order: [] };
  const seenInterpreted: Seen = { paths: [], parents: [], order: [] };
  const server = new ApolloServer({ gateway: compiledExecution(schemaWith(seenCompiled)) });
  await server.start();
  const response = await server.executeOperation({ query, variables, operationName });
  await server.stop();
  if (response.body.kind !== 'single') throw new Error('incremental');
  const interpreted = await execute({ schema: schemaWith(seenInterpreted), document: parse(query), variableValues: variables, operationName });
  return { compiled: response.body.singleResult, interpreted, seenCompiled, seenInterpreted };
}

describe('compiled execution (graphql-jit behind Apollo Server)', () => {
  it('answers as graphql-js does: aliases, fragments, variables, defaults, nested lists', async () => {
    const query = /* GraphQL */ `
      query Q($names: [String!]!) {
        first: people(names: $names) {
          ...P
          friends {
            name
            i: initial
          }
        }
        greeting
        other: greeting(name: "hub")
      }
      fragment P on Person {
        name
        initial
      }
    `;
    const { compiled, interpreted, seenCompiled, seenInterpreted } = await both(query, { names: ['ann', 'cy'] });
    expect(compiled.errors).toBeUndefined();
    expect(compiled.data).toEqual(interpreted.data);
    expect(compiled.data).toMatchObject({ first: [{ name: 'ann', initial: 'a', friends: [{ name: 'bob', i: 'b' }] }, { name: 'cy' }], other: 'hello hub' });
    // the response path (aliases and list indexes) and the parent type, as the access rules read them
    expect(seenCompiled.paths.sort()).toEqual(seenInterpreted.paths.sort());
    expect(seenCompiled.paths).toContain('first.0.friends.0.i');
    expect(new Set(seenCompiled.parents)).toEqual(new Set(['Person']));
  });

  it('turns an error into null at its path with its code, and a null in a non-null field into null for its parent', async () => {
    const { compiled, interpreted } = await both(`{ people(names: ["ann", "bad"]) { name checked } strict { name checked } }`);
    expect(compiled.data).toEqual(interpreted.data);
    expect(compiled.data).toEqual({
      people: [
        { name: 'ann', checked: 'ann' },
        { name: 'bad', checked: null },
      ],
      strict: { name: 'bad', checked: null },
    });
    const shape = (errors: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] = []) =>
      errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.['code'] })).sort((a, b) => String(a.path).localeCompare(String(b.path)));
    expect(shape(compiled.errors)).toEqual(shape(interpreted.errors));
    expect(shape(compiled.errors)).toContainEqual({ message: 'refused', path: ['people', 1, 'checked'], code: 'FORBIDDEN' });
  });

  it('runs the fields of a mutation one after the other', async () => {
    const { compiled, seenCompiled } = await both(`mutation { a: step(name: "first") b: step(name: "second") }`);
    expect(compiled.data).toEqual({ a: 'first', b: 'second' });
    expect(seenCompiled.order).toEqual(['first', 'second']);
  });

  it('picks the operation by name, refuses bad variables as BAD_USER_INPUT, and leaves validation to Apollo', async () => {
    const document = `query A { greeting } query B { other: greeting(name: "b") }`;
    expect((await both(document, {}, 'B')).compiled.data).toEqual({ other: 'hello b' });
    expect((await both(document, {}, 'A')).compiled.data).toEqual({ greeting: 'hello world' });
    const badVariable = await both(`query ($names: [String!]!) { people(names: $names) { name } }`, { names: ['ann', { not: 'a name' }] });
    expect(badVariable.compiled.errors?.[0]).toMatchObject({ message: expect.stringContaining('$names'), extensions: { code: 'BAD_USER_INPUT' } });
    const invalid = await both(`{ nothing }`);
    expect(invalid.compiled.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
