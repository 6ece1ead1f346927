// Plays all seven agencies' live APIs (docs/agency-api.md) from the demo data. Tests start it on
// 127.0.0.1 and can make an agency slow, failing or unreachable; `npm run agency-sim` runs it alone.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { connectors } from '../../connectors/index.js';
import { AGENCIES, type AgencyId } from '../agency/connector.js';
import type { AgencyRecords } from './agency-data.js';

export interface AgencyBehaviour {
  /** answer with this HTTP status instead of data */
  status?: number;
  /** cut the connection without answering */
  reset?: boolean;
  /** wait this long before answering */
  delayMs?: number;
}

export interface AgencySim {
  url: string;
  /** calls received per agency */
  calls: Record<AgencyId, number>;
  /** subjects asked for, per call, per agency */
  batches: Record<AgencyId, number[]>;
  behaviour: Partial<Record<AgencyId, AgencyBehaviour>>;
  close(): Promise<void>;
}

export interface AgencySimOptions {
  records: AgencyRecords;
  asOf: string;
  /** when set, calls must carry `Authorization: Bearer <token>` */
  token?: string;
  port?: number;
  host?: string;
}

type Index = Map<string, Map<string | number, Record<string, unknown>[]>>;

function indexRecords(agency: AgencyId, records: AgencyRecords[AgencyId]): Index {
  const index: Index = new Map();
  for (const [kindName, list] of Object.entries(records)) {
    const field = connectors[agency].kinds[kindName]!.subject.field;
    const bySubject = new Map<string | number, Record<string, unknown>[]>();
    for (const r of list) {
      const key = r[field] as string | number;
      bySubject.set(key, [...(bySubject.get(key) ?? []), r]);
    }
    index.set(kindName, bySubject);
  }
  return index;
}

export async function startAgencySim(options: AgencySimOptions): Promise<AgencySim> {
  const indexes = new Map(AGENCIES.map((a) => [a, indexRecords(a, options.records[a])]));
  const server = http.createServer();
  // the handler reads this object, so tests may replace its fields at any time
  const sim: AgencySim = {
    url: '',
    calls: Object.fromEntries(AGENCIES.map((a) => [a, 0])) as Record<AgencyId, number>,
    batches: Object.fromEntries(AGENCIES.map((a) => [a, []])) as unknown as Record<AgencyId, number[]>,
    behaviour: {},
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.post('/v1/:agency/:action', async (req, res) => {
    const agency = req.params.agency as AgencyId;
    const index = indexes.get(agency);
    if (!index || req.params.action !== 'records:batch') {
      res.status(404).json({ error: 'no such endpoint' });
      return;
    }
    if (options.token && req.get('authorization') !== `Bearer ${options.token}`) {
      res.status(401).json({ error: 'missing or wrong token' });
      return;
    }
    const subjects: unknown = req.body?.subjects;
    if (!Array.isArray(subjects)) {
      res.status(400).json({ error: 'body must be {"subjects": [...]}' });
      return;
    }
    sim.calls[agency] += 1;
    sim.batches[agency].push(subjects.length);
    const behaviour = sim.behaviour[agency] ?? {};
    if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
    if (behaviour.reset) {
      req.socket.destroy();
      return;
    }
    if (behaviour.status) {
      res.status(behaviour.status).json({ error: 'simulated failure' });
      return;
    }
    const records: Record<string, Record<string, unknown>[]> = {};
    for (const [kind, bySubject] of index) {
      records[kind] = subjects.flatMap((s) => bySubject.get(s as string | number) ?? []);
    }
    res.json({ asOf: options.asOf, records });
  });
  server.on('request', app);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  sim.url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return sim;
}
