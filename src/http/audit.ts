// What a request read and did is written to the audit log before its answer leaves (KC-35): when the
// entry cannot be written, the caller gets an error and none of the data.
import type { ApolloServerPlugin } from '@apollo/server';
import type { HubContext } from '../context.js';
import { ERRORS, hubError } from '../errors.js';

export function auditPlugin(): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          try {
            await contextValue.audit.flush();
          } catch (error) {
            contextValue.log.error({ err: error }, 'audit entries could not be written: the answer is withheld');
            response.http.status = ERRORS.AUDIT_UNAVAILABLE.status;
            response.body = { kind: 'single', singleResult: { data: null, errors: [hubError('AUDIT_UNAVAILABLE').toJSON()] } };
          }
        },
      };
    },
  };
}
