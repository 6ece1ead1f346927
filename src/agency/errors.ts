import { GraphQLError } from 'graphql';
import { AgencyCallError } from './live.js';

/** Turns an agency that is down or slow into an error on the one field that needed it. */
export async function fromAgency<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AgencyCallError) {
      throw new GraphQLError(error.message, { extensions: { code: 'AGENCY_UNAVAILABLE', agency: error.agency } });
    }
    throw error;
  }
}
