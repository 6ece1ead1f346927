// What leaves the hub shows no more of a person than the caller may see: resident IDs masked in every
// answer (but for values released with a purpose), and errors without SQL, stack detail or IDs.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { maskResponse } from '../auth/mask.js';
import type { HubContext } from '../context.js';
import { maskResidentIdsShown } from '../domain/resident-id.js';
import { ERRORS } from '../errors.js';

/**
 * What a caller sees of an error: a fault of the hub (a failed query, a bug) as a generic
 * INTERNAL_SERVER_ERROR, its detail only in the log (request-log.ts); resident IDs masked in
 * messages and in development's stack traces, whose first line repeats the message.
 */
export function safeError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const internal = formatted.extensions?.['code'] === 'INTERNAL_SERVER_ERROR' || formatted.extensions?.['code'] === undefined;
  const message = internal ? ERRORS.INTERNAL_SERVER_ERROR.message : maskResidentIdsShown(formatted.message);
  const stacktrace = formatted.extensions?.['stacktrace'];
  // a fault raised outside Apollo (a subscription event) comes without extensions: it gets its code here
  const extensions: Record<string, unknown> = { ...formatted.extensions, code: internal ? 'INTERNAL_SERVER_ERROR' : formatted.extensions?.['code'] };
  if (Array.isArray(stacktrace)) {
    // only the frames: the lines before them are messages, the original's and its causes'
    extensions['stacktrace'] = (stacktrace as string[]).filter((line) => /^\s+at /.test(line)).map(maskResidentIdsShown);
  }
  return { ...formatted, message, extensions };
}

/** Masks the resident IDs of every answer, but those the request released with a stated purpose. */
export function maskingPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') maskResponse(response.body.singleResult.data, contextValue.released);
        },
      };
    },
  };
}
