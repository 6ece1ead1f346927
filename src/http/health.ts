// Liveness (/healthz: the process answers) and readiness (/readyz: it reaches its database), for a
// load balancer or orchestrator; neither needs a credential.
import { Router } from 'express';
import type { Database } from '../db/client.js';
import type { Logger } from '../logger.js';

export function healthRoutes(database: Pick<Database, 'kind' | 'ping'>, logger: Logger): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await database.ping();
      res.json({ status: 'ready', database: database.kind });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: database.kind });
    }
  });
  return router;
}
