// Once per test run: the dashboard is built (if web/ changed since the last build) before any test
// file starts a hub that serves it, so parallel files never race to write web/dist.
import { buildWeb } from '../web/build.js';

export default async function setup(): Promise<void> {
  await buildWeb({ quiet: true });
}
