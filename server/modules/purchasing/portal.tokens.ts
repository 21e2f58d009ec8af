import { createHmac, timingSafeEqual } from 'node:crypto';
import { Op } from 'sequelize';
import { withTransaction, type Tx } from '../../db/transaction';
import { AppError } from '../../http/errors';
import { escapeHtml } from '../../lib/html';
import { deriveKey } from '../../lib/secrets';
import { runtime } from '../../runtime';
import { requireAccess, type Auth } from '../auth/access';
import { createMessage } from '../chatter/chatter.service';
import { assertPurchaseAccess } from './purchase-order.access';
import type { PurchaseOrderModel } from './purchase-order.model';
import { loadPurchase } from './purchase-order.service';
import { PortalTokenModel } from './vendor.model';

// Vendor portal links. A link names one document: `<payload>.<signature>`, the payload (base64url
// JSON) holding the link's row, the purchase order and the expiry, the signature an HMAC-SHA256 under
// a key of its own derived from SECRET_KEY. Checked in order: the signature (a tampered or forged link
// is refused before anything is read), the row (revoked links), the document it names, the expiry.
// The same row always gives the same text, so every email about a document carries the same link
// until it is revoked or close to expiring.

export class PortalLinkError extends AppError {
  constructor(kind: 'invalid' | 'expired' | 'revoked') {
    super(
      kind === 'invalid' ? 403 : 410,
      kind === 'invalid' ? 'invalid_link' : 'link_expired',
      kind === 'invalid'
        ? 'This link is not valid. Ask your contact for a new one.'
        : kind === 'expired'
          ? 'This link has expired. Ask your contact for a new one.'
          : 'This link was withdrawn. Ask your contact for a new one.',
    );
  }
}

type Payload = { t: number; d: number; e: number };

function signature(body: string): Buffer {
  return createHmac('sha256', deriveKey('vendor-portal')).update(body).digest();
}

/** The link's text for its row. */
export function tokenOf(row: Pick<PortalTokenModel, 'id' | 'purchaseOrderId' | 'expiresAt'>): string {
  const payload: Payload = { t: row.id, d: row.purchaseOrderId, e: Math.floor(row.expiresAt.getTime() / 1000) };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${signature(body).toString('base64url')}`;
}

/** The console's address as vendors reach it. */
export function publicBaseUrl(): string {
  const { publicUrl, port } = runtime().config;
  return (publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
}

export const portalUrl = (token: string) => `${publicBaseUrl()}/portal/${token}`;

/** A link stays in use while it has at least this long to live; a newer one is made after. */
const MIN_LIFE_MS = 7 * 86_400_000;

/** The document's portal link (its current one, or a new one), for an email or the buyer. */
export async function portalLinkFor(t: Tx, o: Pick<PurchaseOrderModel, 'id' | 'partnerId'>): Promise<{ url: string; token: string; expiresAt: Date }> {
  let row = await PortalTokenModel.findOne({
    where: { purchaseOrderId: o.id, partnerId: o.partnerId, revokedAt: null, expiresAt: { [Op.gt]: new Date(Date.now() + MIN_LIFE_MS) } },
    order: [['id', 'DESC']],
    transaction: t,
  });
  row ??= await PortalTokenModel.create(
    { purchaseOrderId: o.id, partnerId: o.partnerId, expiresAt: new Date(Date.now() + runtime().config.portalLinkDays * 86_400_000) },
    { transaction: t },
  );
  const token = tokenOf(row);
  return { url: portalUrl(token), token, expiresAt: row.expiresAt };
}

function parse(token: string): Payload {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined || body.length > 200) throw new PortalLinkError('invalid');
  const given = Buffer.from(sig, 'base64url');
  const expected = signature(body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new PortalLinkError('invalid');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new PortalLinkError('invalid');
  }
  const p = payload as Partial<Payload>;
  if (![p.t, p.d, p.e].every((n) => Number.isSafeInteger(n) && (n as number) > 0)) throw new PortalLinkError('invalid');
  return p as Payload;
}

/** The link's row and document, or a PortalLinkError: forged, for another document, revoked or expired. */
export async function resolvePortalToken(t: Tx | null, token: string): Promise<PortalTokenModel> {
  const p = parse(token);
  const row = await PortalTokenModel.findByPk(p.t, { transaction: t });
  if (!row || row.purchaseOrderId !== p.d || Math.floor(row.expiresAt.getTime() / 1000) !== p.e) throw new PortalLinkError('invalid');
  if (row.revokedAt) throw new PortalLinkError('revoked');
  if (row.expiresAt.getTime() <= Date.now()) throw new PortalLinkError('expired');
  return row;
}

/** Notes that the link was used (at most once a minute, so reading the page writes little). */
export async function touchPortalToken(t: Tx | null, row: PortalTokenModel): Promise<void> {
  if (row.lastUsedAt && Date.now() - row.lastUsedAt.getTime() < 60_000) return;
  await PortalTokenModel.update({ lastUsedAt: new Date() }, { where: { id: row.id }, transaction: t });
}

/** The buyer's view of the document's portal link: the current one (made when there is none). */
export async function getPortalLink(auth: Auth, purchaseOrderId: number): Promise<{ url: string; expiresAt: string }> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const o = await loadPurchase(t, purchaseOrderId, false, { demands: false });
    assertPurchaseAccess(auth, o);
    const link = await portalLinkFor(t, o);
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  });
}

/** Withdraws every portal link of the document at once (the next email carries a new one); logged in its chatter. */
export async function revokePortalLinks(auth: Auth, purchaseOrderId: number): Promise<{ revoked: number }> {
  requireAccess(auth, 'purchase.write');
  return withTransaction(async (t) => {
    const o = await loadPurchase(t, purchaseOrderId, true, { demands: false });
    assertPurchaseAccess(auth, o);
    const [revoked] = await PortalTokenModel.update(
      { revokedAt: new Date(), revokedById: auth.user.id },
      { where: { purchaseOrderId: o.id, revokedAt: null }, transaction: t },
    );
    if (revoked) {
      await createMessage(t, {
        model: 'purchaseOrder',
        resId: o.id,
        type: 'note',
        body: `<p>${escapeHtml(auth.user.name)} withdrew the vendor portal link${revoked > 1 ? 's' : ''} of ${escapeHtml(o.name)}: the vendor can no longer open it.</p>`,
        author: { userId: auth.user.id, name: auth.user.name },
      });
    }
    return { revoked };
  });
}
