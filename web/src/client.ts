// One GraphQL client per signed-in session: queries and mutations over HTTP (/graphql), live data
// (alertRaised) over graphql-ws on the same path, both carrying the session's token.
import { createClient as createWsClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, subscriptionExchange, type CombinedError } from 'urql';

export function createClient(token: string, onUnauthenticated: () => void): Client {
  const ws = createWsClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  return new Client({
    url: '/graphql',
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    // the demo's token dies with the hub process, an API key can be revoked: back to sign-in then
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401) onUnauthenticated();
      return res;
    },
    // a list shows what the hub has now; screens refetch after their own mutations
    requestPolicy: 'cache-and-network',
    // POST always: Apollo's CSRF prevention refuses a GET without a preflight header, and tokens stay out of URLs' logs
    preferGetMethod: false,
  });
}

export interface ApiProblem {
  message: string;
  code: string | undefined;
  /** the input field the API names (extensions.field), e.g. "input.floorArea" */
  field: string | undefined;
}

export function problemsOf(error: CombinedError | undefined | null): ApiProblem[] {
  if (!error) return [];
  if (error.graphQLErrors.length)
    return error.graphQLErrors.map((e) => ({
      message: e.message,
      code: e.extensions?.['code'] as string | undefined,
      field: e.extensions?.['field'] as string | undefined,
    }));
  return [{ message: error.networkError?.message ?? error.message, code: 'NETWORK', field: undefined }];
}

/**
 * The API's complaint about one input field (matched on its last segment too: "input.floorArea" ~ "floorArea"),
 * without the field path the message starts with: shown beside the field, the path would say it twice.
 */
export function problemAt(error: CombinedError | undefined | null, field: string): string | undefined {
  const problem = problemsOf(error).find((p) => p.field === field || p.field?.split('.').pop() === field);
  return problem && (problem.field && problem.message.startsWith(`${problem.field}: `) ? problem.message.slice(problem.field.length + 2) : problem.message);
}
