import { request } from 'node:https';
import type { ArmClientTarget } from './armClients';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A bare HTTPS request to the emulator, for what the SDKs never send (no token, a wrong api-version). */
export function rawArm(
  target: ArmClientTarget,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown } = {},
): Promise<RawAnswer> {
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const token = options.token === undefined ? 'raw-test-token' : options.token;
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, target.emulatorUrl),
      {
        method,
        ca: target.certPem,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? (JSON.parse(text) as unknown) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
