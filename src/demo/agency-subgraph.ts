// An agency that runs its own GraphQL (issue 15): the agency simulator's subgraph mode. Civil affairs serves, from
// the same demo records as its REST API (src/demo/agency-sim.ts), an Apollo Federation 2 subgraph that owns
// `Person.civilAffairs` on the hub's Person, which it knows only by the pseudonym subjectRef (src/agency/live-graphql.ts).
// The gateway asks it for the people of a page; the hub's GraphQL live source asks it the same way.
//
// One DataLoader per request resolves every person asked for in one batch (counted, so tests can assert it);
// the batch gives an Error for a key it cannot answer and never rejects. Who may ask: a request the federation
// gateway signed (GATEWAY_HMAC_SECRET), or one with the agency's bearer token (the hub's live source); nobody else.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import express from 'express';
import { parse } from 'graphql';
import { connectors } from '../../connectors/index.js';
import type { AgencyId } from '../agency/connector.js';
import { agencySubgraphSdl, profileField, profileKinds, SUBJECT_REF, subjectRef } from '../agency/live-graphql.js';
import { isGatewaySigned, type RequestParams } from '../http/gateway-signature.js';
import type { AgencyBehaviour } from './agency-sim.js';
import type { AgencyRecords } from './agency-data.js';

export interface AgencySubgraphOptions {
  /** the agency whose subgraph this is (its kinds must all be about a person) */
  agency?: AgencyId;
  records: AgencyRecords;
  asOf: string;
  /** FEDERATION_SUBJECT_SECRET: the pseudonyms are HMACs of resident IDs with it */
  subjectSecret: string;
  /** the gateway's signing key: requests it signed are answered */
  gatewaySecret?: string;
  /** requests with `Authorization: Bearer <token>` are answered (the hub's live source) */
  token?: string;
  port?: number;
  host?: string;
}

export interface SubgraphBehaviour extends AgencyBehaviour {
  /** every person asked for fails with this (internal) message: an Error per key, as a failing backend would give */
  failWith?: string;
}

export interface AgencySubgraph {
  url: string;
  sdl: string;
  /** requests that asked for _entities */
  entitiesRequests: number;
  /** per loader batch, how many people it resolved */
  batches: number[];
  /** the request bodies received (the last 200), to show what crossed the wire */
  bodies: string[];
  /** the Authorization header of each request received (the last 200; '' for none) */
  authorizations: string[];
  behaviour: SubgraphBehaviour;
  close(): Promise<void>;
}

type Profile = Record<string, unknown> & { asOf: string };

interface Context {
  profiles: DataLoader<string, Profile>;
}

/** every current record about each person, as the profile type shows them, by resident ID */
function profilesOf(agency: AgencyId, records: AgencyRecords, asOf: string): Map<string, Profile> {
  const kinds = profileKinds(connectors[agency]);
  const empty = (): Profile => Object.assign({ asOf }, ...kinds.map((k) => ({ [k.field]: k.many ? [] : null }))) as Profile;
  const profiles = new Map<string, Profile>();
  for (const k of kinds) {
    for (const record of records[agency][k.name] ?? []) {
      const residentId = String(record[k.kind.subject.field]).toUpperCase();
      let profile = profiles.get(residentId);
      if (!profile) profiles.set(residentId, (profile = empty()));
      if (k.many) (profile[k.field] as unknown[]).push(record);
      else profile[k.field] = record;
    }
  }
  profiles.set('', empty());
  return profiles;
}

export async function startAgencySubgraph(options: AgencySubgraphOptions): Promise<AgencySubgraph> {
  const agency = options.agency ?? 'civil-affairs';
  const sdl = agencySubgraphSdl(connectors[agency]);
  const byResident = profilesOf(agency, options.records, options.asOf);
  // the agency finds a person by computing the same HMAC over its own records
  const byRef = new Map([...byResident].filter(([id]) => id !== '').map(([id, profile]) => [subjectRef(options.subjectSecret, id), profile]));
  const nobody = byResident.get('')!;

  const server = http.createServer();
  const sim: AgencySubgraph = {
    url: '',
    sdl,
    entitiesRequests: 0,
    batches: [],
    bodies: [],
    authorizations: [],
    behaviour: {},
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };

  const batch = async (refs: readonly string[]): Promise<(Profile | Error)[]> => {
    sim.batches.push(refs.length);
    const { failWith } = sim.behaviour;
    return refs.map((ref) => {
      if (failWith) return new Error(failWith);
      if (!SUBJECT_REF.test(ref)) return new Error('not a subjectRef');
      // a person the agency has no record of: nothing to report (empty lists), as its REST API answers
      return byRef.get(ref) ?? nobody;
    });
  };

  const field = profileField(agency);
  const apollo = new ApolloServer<Context>({
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(sdl),
        resolvers: {
          Person: {
            __resolveReference: (ref: { subjectRef: string }) => ({ subjectRef: ref.subjectRef }),
            [field]: (person: { subjectRef: string }, _: unknown, ctx: Context) => ctx.profiles.load(person.subjectRef),
          },
        } as never,
      },
    ]),
    // errors go out as its backend gave them, as a careless agency's would: the gateway is what keeps them from clients
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();

  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.use('/graphql', async (req, res, next) => {
    const body = req.body as (RequestParams & { query?: unknown }) | undefined;
    sim.bodies = [...sim.bodies.slice(-199), JSON.stringify(body ?? null)];
    sim.authorizations = [...sim.authorizations.slice(-199), req.get('authorization') ?? ''];
    const signed = isGatewaySigned(options.gatewaySecret, body);
    const bearer = !!options.token && req.get('authorization') === `Bearer ${options.token}`;
    if ((options.gatewaySecret || options.token) && !signed && !bearer) {
      res.status(401).json({ errors: [{ message: 'not authenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    if (typeof body?.query === 'string' && /\b_entities\b/.test(body.query)) sim.entitiesRequests += 1;
    const behaviour = sim.behaviour;
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (behaviour.reset) {
      req.socket.destroy();
      return;
    }
    if (behaviour.status) {
      res.status(behaviour.status).json({ errors: [{ message: 'simulated failure at 10.1.2.3: connection pool exhausted' }] });
      return;
    }
    next();
  });
  app.use('/graphql', expressMiddleware(apollo, { context: async (): Promise<Context> => ({ profiles: new DataLoader(batch) }) }));
  server.on('request', app);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  sim.url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  return sim;
}
