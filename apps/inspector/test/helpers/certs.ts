import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A self-signed certificate and its key, PEM. */
export interface TestCert {
  /** Certificate PEM. */
  cert: string;
  /** Private key PEM. */
  key: string;
}

/** Makes a self-signed P-256 certificate with openssl in `dir`. */
export function makeCert(dir: string, name: string): TestCert {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
}
