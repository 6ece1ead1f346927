import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { receiver } from './helpers/receiver.js';
import { housedHousehold } from './helpers/scenario.js';

const SECRET = 'a-shared-secret-of-32-characters';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ env: { WEBHOOK_BACKOFF_MS: '20', WEBHOOK_MAX_ATTEMPTS: '3' } });
});
afterAll(async () => {
  await t?.close();
});

async function raiseArrearsAlert(): Promise<string> {
  const { id } = await housedHousehold(t, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
  const res = await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [id] });
  expect(res.body.data.runDetection).toBe(1);
  return id;
}

const register = (url: string, districtId?: string) =>
  t.gql(`mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { id url districtId } }`, { input: { url, secret: SECRET, districtId } });

describe('alert webhooks', () => {
  it('POSTs each new alert to registered endpoints with a valid HMAC-SHA256 signature', async () => {
    const ok = await receiver(204);
    const elsewhere = await receiver(204);
    try {
      await register(ok.url);
      await register(elsewhere.url, 'KC-EYY'); // another district: gets nothing
      const householdId = await raiseArrearsAlert();
      await ok.until(1);
      const [got] = ok.received;
      const expected = `sha256=${createHmac('sha256', SECRET).update(got!.body).digest('hex')}`;
      expect(got!.signature).toBe(expected);
      expect(JSON.parse(got!.body).alert).toMatchObject({ householdId: Number(householdId), rule: 'RENT_ARREARS_EXIT', districtId: 'KC-KCZ' });
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      await ok.close();
      await elsewhere.close();
    }
  });

  it('retries a failing receiver with backoff, logs every attempt, then parks the delivery', async () => {
    const failing = await receiver(500);
    try {
      const endpoint = (await register(failing.url)).body.data.registerWebhook;
      await raiseArrearsAlert();
      await failing.until(3);
      let parked: { endpoint: { id: string }; attempts: number; lastError: string }[] = [];
      for (let i = 0; i < 50 && parked.length === 0; i++) {
        const res = await t.gql(`{ webhookDeliveries(status: PARKED) { endpoint { id } attempts lastError } }`);
        parked = res.body.data.webhookDeliveries.filter((d: { endpoint: { id: string } }) => d.endpoint.id === endpoint.id);
        if (parked.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(parked).toEqual([{ endpoint: { id: endpoint.id }, attempts: 3, lastError: 'HTTP 500' }]);
      expect(failing.received).toHaveLength(3);
    } finally {
      await failing.close();
    }
  });
});
