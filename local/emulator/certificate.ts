import { generate } from 'selfsigned';

export interface TlsIdentity {
  certPem: string;
  keyPem: string;
}

/**
 * A fresh self-signed certificate for the loopback names. Clients trust it only when handed the PEM
 * explicitly (the app's EMULATOR_CA_CERT setting); nothing here relaxes TLS verification globally.
 */
export async function createLoopbackCertificate(): Promise<TlsIdentity> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 30 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
