/**
 * A stand-in for Stripe's API (a third party, not our code) for tests: a local HTTP server that
 * speaks the one endpoint CAST calls — creating Checkout Sessions — so the real `stripe` library makes
 * real requests. It records what it was sent and can be told to fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStripe {
  url: string;
  requests: { path: string; body: URLSearchParams; idempotencyKey: string | undefined }[];
  /** The next this many requests fail with a 500 (the library retries twice). */
  failures: number;
  close(): Promise<void>;
}

export async function fakeStripe(): Promise<FakeStripe> {
  const fake = { requests: [], failures: 0 } as unknown as FakeStripe;
  let counter = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      fake.requests.push({ path: req.url ?? '', body: params, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      res.setHeader('content-type', 'application/json');
      if (fake.failures > 0) {
        fake.failures -= 1;
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { type: 'api_error', message: 'something went wrong' } }));
        return;
      }
      if (req.method !== 'POST' || req.url !== '/v1/checkout/sessions') {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } }));
        return;
      }
      counter += 1;
      const id = `cs_test_${counter}${Date.now()}`;
      res.end(JSON.stringify({ id, object: 'checkout.session', mode: params.get('mode'), url: `https://checkout.stripe.com/c/pay/${id}`, livemode: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
