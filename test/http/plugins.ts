// Drives an Apollo plugin's hooks directly, as Apollo does for one request, without a server.
import type { ApolloServerPlugin } from '@apollo/server';
import type { HubContext } from '../../src/context.js';

export interface Answer {
  http: { status?: number; headers: Map<string, string> };
  body: { kind: 'single'; singleResult: { data?: unknown; errors?: unknown[] } };
}

export function answerOf(data: unknown): Answer {
  return { http: { headers: new Map() }, body: { kind: 'single', singleResult: { data } } };
}

/** runs requestDidStart, then didEncounterErrors (when `errors`), then willSendResponse */
export async function runPlugin(
  plugin: ApolloServerPlugin<HubContext>,
  contextValue: Partial<HubContext>,
  response: Answer,
  errors?: unknown[],
): Promise<Answer> {
  const request = { contextValue, response, errors, operationName: 'Op' } as never;
  const listener = await plugin.requestDidStart?.(request);
  if (errors) await listener?.didEncounterErrors?.(request);
  await listener?.willSendResponse?.(request);
  return response;
}
