/**
 * Self-signed X.509 certificates for the simulated Betfair endpoints, generated with node:crypto alone
 * (Node 20 has no certificate builder, so the DER is written here): an ECDSA P-256 key, a v3 certificate
 * with basicConstraints CA:TRUE (it is its own trust anchor), subjectAltName IP/DNS entries and a subject
 * key identifier, signed with SHA-256. Clients verify it by trusting the PEM as their CA file.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

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

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One DER TLV. */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function integer(bytes: Buffer): Buffer {
  const b = (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(0x02, b);
}

/** UTCTime (years 1950-2049) as `YYMMDDHHMMSSZ`. */
function utcTime(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  const s =
    iso.slice(2, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19);
  return tlv(0x17, Buffer.from(`${s}Z`, 'ascii'));
}

function name(commonName: string): Buffer {
  const rdn = (type: string, value: string) => set(seq(oid(type), utf8(value)));
  return seq(rdn(OID.organization, 'oddsgate'), rdn(OID.commonName, commonName));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function subjectAltName(hosts: readonly string[]): Buffer {
  const entries = hosts.map((h) => (isIP(h) ? tlv(0x87, ipBytes(h)) : tlv(0x82, Buffer.from(h, 'ascii'))));
  return seq(...entries);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

/** Generates a fresh self-signed certificate and key (a new key pair on every call). */
export function generateCertificate(opts: CertificateOptions = {}): CertificatePair {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const subject = name(opts.commonName ?? 'oddsgate simulator');
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const serial = randomBytes(16);
  // Positive (top bit clear) and minimal in DER (first byte not 0, else a 0x00 0x0X start is padding
  // OpenSSL refuses).
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  const keyId = createHash('sha1').update(spki).digest();
  const extensions = seq(
    extension(OID.basicConstraints, true, seq(bool(true))),
    extension(OID.subjectAltName, false, subjectAltName(opts.hosts ?? ['127.0.0.1', '::1', 'localhost'])),
    extension(OID.subjectKeyIdentifier, false, octets(keyId)),
  );
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    subject,
    seq(utcTime(now - 3_600_000), utcTime(now + (opts.days ?? 30) * 86_400_000)),
    subject,
    spki,
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, algorithm, bitString(signature));
  return {
    cert: pem('CERTIFICATE', der),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}
