// A small Express app of the modules under test on 127.0.0.1, reached by fetch like any client.
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(build: (app: express.Express) => void): Promise<Served> {
  const app = express();
  build(app);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
