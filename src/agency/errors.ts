import type { GraphQLError } from 'graphql';
import { badUserInput, conflict, hubError } from '../errors.js';
import { BatchKeyReused, FeedConflict, FeedInputError } from './ingest.js';
import { AgencyCallError } from './live.js';

/** Turns an agency that is down or slow into an error on the one field that needed it. */
export async function fromAgency<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw asHubError(error);
  }
}

/** `fromAgency` for records at hand (AgencyLoaders.peek): no promise */
export function fromAgencyNow<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw asHubError(error);
  }
}

const asHubError = (error: unknown) => (error instanceof AgencyCallError ? hubError('AGENCY_UNAVAILABLE', error.message, { agency: error.agency }) : error);

/**
 * A feed's refusal (src/agency/ingest.ts) as the hub's error, the same on the GraphQL feed mutations
 * and POST /feeds; null for anything else (a fault of the hub).
 */
export function feedRefusal(error: unknown): GraphQLError | null {
  if (error instanceof FeedInputError) return badUserInput(error.field, error.message.slice(error.field.length + 2));
  if (error instanceof BatchKeyReused) return conflict('batchKey', error.message);
  if (error instanceof FeedConflict) return conflict('records', error.message);
  return null;
}
