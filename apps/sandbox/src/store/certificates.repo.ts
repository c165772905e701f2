import type { Db } from './db';
import type { CertificateRecord, CertificateRole } from './types';

/** The sandbox CA's certificates: roots, the intermediate, Alipay's certificates and the apps'. */

interface CertificateRow {
  id: number;
  role: CertificateRole;
  sn: string;
  app_id: string | null;
  cert_pem: string;
  chain_pem: string;
  private_key_pem: string | null;
  current: number;
  not_after: number;
  created_at: number;
}

const toCertificate = (row: CertificateRow): CertificateRecord => ({
  id: row.id,
  role: row.role,
  sn: row.sn,
  appId: row.app_id,
  certPem: row.cert_pem,
  chainPem: row.chain_pem,
  privateKeyPem: row.private_key_pem,
  current: row.current === 1,
  notAfter: new Date(row.not_after),
  createdAt: new Date(row.created_at),
});

export class CertificatesRepo {
  constructor(private readonly db: Db) {}

  insert(cert: Omit<CertificateRecord, 'id'>): CertificateRecord {
    const result = this.db
      .prepare(
        `INSERT INTO certificates (role, sn, app_id, cert_pem, chain_pem, private_key_pem, current, not_after,
           created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        cert.role,
        cert.sn,
        cert.appId,
        cert.certPem,
        cert.chainPem,
        cert.privateKeyPem,
        cert.current ? 1 : 0,
        cert.notAfter.getTime(),
        cert.createdAt.getTime(),
      );
    return { ...cert, id: Number(result.lastInsertRowid) };
  }

  /** Certificates of a role, oldest first (roots: in bundle order). */
  list(role: CertificateRole, appId: string | null = null): CertificateRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM certificates WHERE role = ? AND (? IS NULL OR app_id = ?) ORDER BY id`)
      .all(role, appId, appId) as CertificateRow[];
    return rows.map(toCertificate);
  }

  current(role: CertificateRole, appId: string | null = null): CertificateRecord | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM certificates WHERE role = ? AND current = 1 AND (? IS NULL OR app_id = ?)
         ORDER BY id DESC LIMIT 1`,
      )
      .get(role, appId, appId) as CertificateRow | undefined;
    return row && toCertificate(row);
  }

  findBySn(role: CertificateRole, sn: string): CertificateRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM certificates WHERE role = ? AND sn = ? ORDER BY id DESC LIMIT 1')
      .get(role, sn) as CertificateRow | undefined;
    return row && toCertificate(row);
  }

  /** Makes one certificate the current one of its role (and app), the others not. */
  makeCurrent(id: number, role: CertificateRole, appId: string | null): void {
    this.db
      .prepare(`UPDATE certificates SET current = (id = ?) WHERE role = ? AND app_id IS ?`)
      .run(id, role, appId);
  }
}
