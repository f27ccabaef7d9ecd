/**
 * Self-signed X.509 certificates for the simulated Betfair endpoints, made by `selfsigned` (on
 * @peculiar/x509; Node 20 has no certificate builder): an ECDSA P-256 key, a v3 certificate with
 * basicConstraints CA:TRUE (it is its own trust anchor) and subjectAltName IP/DNS entries, signed with
 * SHA-256. Clients verify it by trusting the PEM as their CA file.
 */
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A certificate and its private key, PEM-encoded. */
export interface CertificatePair {
  cert: string;
  key: string;
}

/** Options of {@link generateCertificate}. */
export interface CertificateOptions {
  commonName?: string;
  /** subjectAltName entries: IP addresses and DNS names. Default 127.0.0.1, ::1, localhost. */
  hosts?: readonly string[];
  /** Validity in days from now (backdated one hour for clock skew). Default 30. */
  days?: number;
}

/** Generates a fresh self-signed certificate and key (a new key pair on every call). */
export async function generateCertificate(opts: CertificateOptions = {}): Promise<CertificatePair> {
  const now = Date.now();
  const hosts = opts.hosts ?? ['127.0.0.1', '::1', 'localhost'];
  const pems = await generate(
    [
      { name: 'commonName', value: opts.commonName ?? 'oddsgate simulator' },
      { name: 'organizationName', value: 'oddsgate' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now - 3_600_000),
      notAfterDate: new Date(now + (opts.days ?? 30) * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
        {
          name: 'subjectAltName',
          altNames: [...new Set(hosts)].map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
        },
      ],
    },
  );
  return { cert: pems.cert, key: pems.private };
}
