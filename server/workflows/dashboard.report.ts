import type { z } from 'zod';
import type { Dashboard, DashboardTile, dashboardQuery } from '../../contracts/schemas/dashboard';
import { periodsBetween } from '../db/dates';
import { can, limitedToOwnOrders, requireAccess, type Auth } from '../modules/auth/access';
import { invoiceFigures } from '../modules/accounting/invoice.stats';
import { productsByIds } from '../modules/catalog/product.service';
import { channelNames } from '../modules/channels/channel.service';
import { ensureCompany } from '../modules/company/company.service';
import { countPickings } from '../modules/inventory/picking.filters';
import { countPurchasesByState } from '../modules/purchasing/purchase-order.service';
import { countOrders, ordersPerPeriod, salesBy, salesRange } from '../modules/sales/sale-order.stats';

// The dashboard (issue 17): confirmed orders and their untaxed revenue per day and per week by channel
// over a range of days, the best-selling products, and tiles of what waits. Each tile counts with the very
// filter of the list it links to (the list's own WHERE), so the list's total is the tile's count; a tile
// is there only when the user's role may read that list (and, for a user limited to their own orders,
// only for lists that can hold their orders: never purchase orders or receipts).

const TOP_PRODUCTS = 5;

async function salesTiles(auth: Auth): Promise<DashboardTile[]> {
  const toConfirm = { state: 'draft,sent' };
  const attention = { needsAttention: 'true', state: 'draft,sent,sale' };
  const [waiting, flagged] = await Promise.all([
    countOrders(auth, { state: ['draft', 'sent'] }),
    countOrders(auth, { needsAttention: true, state: ['draft', 'sent', 'sale'] }),
  ]);
  return [
    { key: 'ordersToConfirm', label: 'Orders to confirm', count: waiting.count, amount: waiting.amount, aged: [], list: 'orders', filter: toConfirm },
    { key: 'needsAttention', label: 'Orders needing attention', count: flagged.count, amount: null, aged: [], list: 'orders', filter: attention },
  ];
}

async function deliveryTiles(auth: Auth): Promise<DashboardTile[]> {
  const [late, today] = await Promise.all([
    countPickings(auth, { type: ['outgoing'], due: 'late' }),
    countPickings(auth, { type: ['outgoing'], due: 'today' }),
  ]);
  return [
    { key: 'deliveriesLate', label: 'Deliveries late', count: late, amount: null, aged: [], list: 'deliveries', filter: { type: 'outgoing', due: 'late' } },
    {
      key: 'deliveriesToday',
      label: 'Deliveries due today',
      count: today,
      amount: null,
      aged: [],
      list: 'deliveries',
      filter: { type: 'outgoing', due: 'today' },
    },
  ];
}

async function invoiceTiles(auth: Auth): Promise<DashboardTile[]> {
  const f = await invoiceFigures(auth, { moveType: 'out_invoice', overdue: true });
  return [
    {
      key: 'invoicesOverdue',
      label: 'Invoices overdue',
      count: f.count,
      amount: f.residual,
      aged: [
        { label: '1–30 days', amount: f.aged.days1to30 },
        { label: '31–60 days', amount: f.aged.days31to60 },
        { label: '61–90 days', amount: f.aged.days61to90 },
        { label: 'Over 90 days', amount: f.aged.daysOver90 },
      ],
      list: 'invoices',
      filter: { moveType: 'out_invoice', overdue: '1' },
    },
  ];
}

async function purchaseTiles(auth: Auth): Promise<DashboardTile[]> {
  const [byState, receipts] = await Promise.all([countPurchasesByState(auth, {}), countPickings(auth, { type: ['incoming'], due: 'late' })]);
  return [
    { key: 'rfqsOpen', label: 'Open RFQs', count: byState.draft + byState.sent, amount: null, aged: [], list: 'purchases', filter: { state: 'draft,sent' } },
    { key: 'receiptsLate', label: 'Receipts late', count: receipts, amount: null, aged: [], list: 'receipts', filter: { type: 'incoming', due: 'late' } },
  ];
}

export async function dashboardReport(auth: Auth, query: z.output<typeof dashboardQuery>): Promise<Dashboard> {
  requireAccess(auth, 'saleOrder.read');
  const range = salesRange(query);
  const ownOnly = limitedToOwnOrders(auth);
  const [company, daily, weekly, top, ...tiles] = await Promise.all([
    ensureCompany(null),
    ordersPerPeriod(auth, range, 'day'),
    ordersPerPeriod(auth, range, 'week'),
    salesBy(auth, range, ['product'], { top: TOP_PRODUCTS + 1 }),
    salesTiles(auth),
    can(auth, 'inventory.read') ? deliveryTiles(auth) : [],
    can(auth, 'invoice.read') ? invoiceTiles(auth) : [],
    can(auth, 'purchase.read') && can(auth, 'inventory.read') && !ownOnly ? purchaseTiles(auth) : [],
  ]);
  const names = await channelNames(
    null,
    daily.map((p) => p.channelId),
  );
  const channelIds = [...new Set(daily.map((p) => p.channelId))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const products = top.filter((g) => g.keys[0] !== null).slice(0, TOP_PRODUCTS);
  const byId = await productsByIds(
    null,
    products.map((g) => Number(g.keys[0])),
    'productId',
  );
  return {
    from: range.from,
    to: range.to,
    currency: company.currency,
    totals: { orders: daily.reduce((s, p) => s + p.orders, 0), revenue: daily.reduce((s, p) => s + p.revenue, 0) },
    channels: channelIds.map((id) => ({ id, name: id === null ? 'Direct' : (names.get(id) ?? `Channel ${id}`) })),
    days: periodsBetween(range.from, range.to, 'day'),
    weeks: periodsBetween(range.from, range.to, 'week'),
    daily,
    weekly,
    tiles: tiles.flat(),
    topProducts: products.map((g) => {
      const p = byId.get(Number(g.keys[0]));
      return { productId: Number(g.keys[0]), sku: p?.sku ?? '', name: p?.name ?? '', quantity: g.quantity, revenue: g.untaxed };
    }),
  };
}
