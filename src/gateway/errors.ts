// What a client of the gateway is told when a subgraph fails. Hive Gateway passes an upstream's message on as it
// came (an agency's "connection pool at 10.1.2.3 exhausted"), adds the upstream request itself on a timeout (its
// body: pseudonyms and the HMAC signature), and gives an entity fetch's error a path without the list indexes
// (`households.nodes.0.members.civilAffairs`, once per entity). So each such error is replaced by the hub's own
// coded ones (src/errors.ts): one AGENCY_UNAVAILABLE at every agency-owned field left null, at its exact path,
// naming the subgraph and nothing else; SERVICE_UNAVAILABLE when the hub itself did not answer. The hub's own
// coded errors (FORBIDDEN, UNAUTHENTICATED, …) and the gateway's validation errors pass as they are.
import { GraphQLError, parse, visit, type ExecutionResult, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { ERRORS, isErrorCode, type ErrorCodeName } from '../errors.js';

/** codes Hive Gateway gives an upstream's failure; never the subgraph's own word */
const UPSTREAM_FAILURE = new Set(['DOWNSTREAM_SERVICE_ERROR', 'GATEWAY_TIMEOUT', 'INTERNAL_SERVER_ERROR', 'SUBREQUEST_HTTP_ERROR']);

export interface ErrorMasking {
  /** the subgraph that speaks the hub's error catalogue (its errors pass when coded from it) */
  hub: string;
  /** field name → the subgraph that alone resolves it (an agency's fields on the hub's entities), for errors that do not name their subgraph */
  ownedFields: Map<string, string>;
}

/**
 * the fields only a non-hub subgraph resolves, from its SDL: its fields on the entities it shares (Person.civilAffairs),
 * keys left out. Its own types' fields are not listed: their errors come under the entity's field, and their names
 * (status, year, …) are the hub's too.
 */
export function agencyOwnedFields(subgraphs: { name: string; sdl: string }[], hub: string): Map<string, string> {
  const owned = new Map<string, string>();
  for (const { name, sdl } of subgraphs) {
    if (name === hub) continue;
    const entity = (node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode) => {
      const keyDirectives = (node.directives ?? []).filter((d) => d.name.value === 'key');
      if (keyDirectives.length === 0) return;
      const keys = new Set(keyDirectives.flatMap((d) => d.arguments?.flatMap((a) => (a.value.kind === 'StringValue' ? a.value.value.split(/\s+/) : [])) ?? []));
      for (const field of node.fields ?? []) if (!keys.has(field.name.value)) owned.set(field.name.value, name);
    };
    visit(parse(sdl), { ObjectTypeDefinition: entity, ObjectTypeExtension: entity });
  }
  return owned;
}

type Path = readonly (string | number)[];
interface OutError {
  message: string;
  path?: Path;
  extensions: Record<string, unknown>;
}

const coded = (code: ErrorCodeName, message: string, path: Path | undefined, extra: Record<string, unknown> = {}): OutError => ({
  message,
  ...(path ? { path } : {}),
  extensions: { code, ...extra },
});

/** every place the path's fields (list indexes dropped) lead to a null in the data: where the failed fields are */
function nullsAlong(data: unknown, fields: string[]): Path[] {
  const found: Path[] = [];
  const walk = (value: unknown, rest: string[], at: (string | number)[]) => {
    if (value === null || value === undefined) {
      if (at.length) found.push(at);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, rest, [...at, i]));
      return;
    }
    if (rest.length === 0 || typeof value !== 'object') return;
    walk((value as Record<string, unknown>)[rest[0]!], rest.slice(1), [...at, rest[0]!]);
  };
  walk(data, fields, []);
  return found;
}

export function maskErrors(result: ExecutionResult, masking: ErrorMasking): ExecutionResult {
  if (!result.errors?.length) return result;
  const out: OutError[] = [];
  const seen = new Set<string>();
  const push = (error: OutError) => {
    const key = `${error.extensions['code']}|${JSON.stringify(error.path ?? null)}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(error);
  };
  for (const error of result.errors as readonly GraphQLError[]) {
    const extensions = (error.extensions ?? {}) as Record<string, unknown>;
    const code = typeof extensions['code'] === 'string' ? extensions['code'] : undefined;
    const path = error.path;
    const lastField = [...(path ?? [])].reverse().find((p): p is string => typeof p === 'string');
    const subgraph = (extensions['serviceName'] as string | undefined) ?? (lastField ? masking.ownedFields.get(lastField) : undefined);
    if (subgraph !== undefined && subgraph !== masking.hub) {
      // an agency's subgraph: whatever it said, its fields are null and the client learns only that it did not answer
      const fields = (path ?? []).filter((p): p is string => typeof p === 'string');
      const nulls = fields.length ? nullsAlong(result.data, fields) : [];
      for (const at of nulls.length ? nulls : [path]) {
        push(coded('AGENCY_UNAVAILABLE', `${subgraph} did not answer`, at ?? undefined, { subgraph }));
      }
      continue;
    }
    const fromUpstream = subgraph !== undefined && (code === undefined || UPSTREAM_FAILURE.has(code) || 'request' in extensions);
    if (fromUpstream || (code !== undefined && !isErrorCode(code))) {
      push(coded('SERVICE_UNAVAILABLE', ERRORS.SERVICE_UNAVAILABLE.message, path ?? undefined));
      continue;
    }
    // the hub's own error, as the hub alone gives it (without the subgraph's name the gateway adds)
    const { request: _request, response: _response, serviceName: _serviceName, ...kept } = extensions;
    push({ message: error.message, ...(path ? { path } : {}), extensions: kept });
  }
  return { ...result, errors: out.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) };
}

/** the gateway plugin: every result, and every event of a subscription, masked */
export function errorMaskingPlugin(masking: ErrorMasking) {
  const onResult = ({ result, setResult }: { result: ExecutionResult; setResult: (r: ExecutionResult) => void }) => {
    if (result.errors?.length) setResult(maskErrors(result, masking));
  };
  // a single result is masked as it is; a stream (a subscription's events), each event as it passes
  const onDone = (payload: { result: unknown; setResult: (r: ExecutionResult) => void }) => {
    const result = payload.result as ExecutionResult | AsyncIterable<ExecutionResult>;
    if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return { onNext: onResult };
    onResult({ result: result as ExecutionResult, setResult: payload.setResult });
    return undefined;
  };
  return {
    onExecute: () => ({ onExecuteDone: onDone }),
    onSubscribe: () => ({ onSubscribeResult: onDone }),
  };
}
