// The bureau's dashboard (web/, built by Vite into web/dist) served by the hub on its own port, and
// the development sign-in that lets a newcomer pick a demo role. The sign-in issues a short-lived
// token signed with the hub's key: it exists only outside production, as the printed demo tokens do.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import { z } from 'zod';
import { ROLES, type Authenticator } from '../auth/caller.js';
import type { Db } from '../db/client.js';
import { sendError } from '../errors.js';
import type { Logger } from '../logger.js';
import { listDistricts } from '../reference/districts.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** the roles a person at the dashboard may pick; AGENCY is a system, not a dashboard user */
const DEMO_ROLES = ROLES.filter((r) => r !== 'AGENCY');

const demoSignIn = z.object({
  role: z.enum(DEMO_ROLES as [string, ...string[]]),
  districts: z.array(z.string().min(1).max(100)).max(50).optional(),
});

export interface WebOptions {
  db: Db;
  authenticator: Authenticator;
  /** development sign-in (pick a role) is offered */
  demoSignIn: boolean;
  logger: Logger;
  dist?: string;
}

export function webRoutes({ db, authenticator, demoSignIn: offered, logger, dist = WEB_DIST }: WebOptions): Router {
  const router = Router();
  router.get('/auth/demo', async (_req, res) => {
    if (!offered) return void res.json({ offered: false });
    const districts = await listDistricts(db);
    res.json({ offered: true, roles: DEMO_ROLES, districts: districts.map((d) => ({ id: d.id, name: d.name })) });
  });
  router.post('/auth/demo', express.json({ limit: '4kb' }), async (req, res) => {
    if (!offered) return void sendError(res, 'NOT_FOUND', 'the demo sign-in is off (production)');
    const parsed = demoSignIn.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.') || 'body';
      return void sendError(res, 'BAD_USER_INPUT', `${field}: ${issue.message}`, { field });
    }
    const { role, districts } = parsed.data;
    const bound = role === 'CASEWORKER' || role === 'ALERT_CONSUMER';
    if (bound && !districts?.length)
      return void sendError(res, 'BAD_USER_INPUT', 'districts: a CASEWORKER or ALERT_CONSUMER names its districts', { field: 'districts' });
    const token = await authenticator.issue(
      { sub: `demo-${role.toLowerCase()}`, role: role as (typeof ROLES)[number], districts: bound ? districts : null },
      '8h',
    );
    logger.info({ role }, 'demo sign-in');
    res.json({ token });
  });
  if (existsSync(path.join(dist, 'index.html'))) {
    router.use(express.static(dist, { index: false, maxAge: '1h', setHeaders: noCacheForHtml }));
    // the app routes in the browser: any other GET for a page answers the app's shell
    router.get(/^\/(?!graphql|feeds|imports|auth|healthz|readyz).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.set('cache-control', 'no-cache').sendFile(path.join(dist, 'index.html'));
    });
  } else {
    router.get('/', (_req, res) => {
      res.type('text/plain').send('The dashboard is not built: run `npm run build:web` (npm start does it for you).\nGraphQL: /graphql\n');
    });
  }
  return router;
}

function noCacheForHtml(res: express.Response, file: string): void {
  if (file.endsWith('.html')) res.set('cache-control', 'no-cache');
}
