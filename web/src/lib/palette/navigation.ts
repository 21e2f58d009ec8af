import type { SearchKind } from '$contracts/schemas/search';
import { canImportOrders, canReadInvoices, canReadMail, canReadPurchases, may } from '$lib/session.svelte';
import { settingsEntries } from '$lib/settings-entries';

/** The pages the palette's "Go to" commands open. */
export type NavPath =
  | '/'
  | '/orders/new'
  | '/deliveries'
  | '/receipts'
  | '/shipments'
  | '/stock'
  | '/stock/flow'
  | '/purchases'
  | '/tenders'
  | '/replenishment'
  | '/invoices'
  | '/reports'
  | '/partners'
  | '/products'
  | '/imports'
  | '/inbox'
  | '/mail/outbox'
  | '/taxes'
  | '/users'
  | '/settings'
  | '/dashboard';

export type NavCommand = { path: NavPath; label: string; keywords?: string; allowed: () => boolean };

const always = () => true;

// The same rules as the bar and the settings page (settingsEntries): a page the user's role cannot open is not offered.
export const NAV_COMMANDS: NavCommand[] = [
  { path: '/dashboard', label: 'Go to the Dashboard', keywords: 'home charts tiles overview', allowed: always },
  { path: '/', label: 'Go to Orders', keywords: 'board sale orders quotations', allowed: always },
  { path: '/orders/new', label: 'New order', keywords: 'create quotation', allowed: () => may('saleOrder.write') },
  { path: '/deliveries', label: 'Go to Deliveries', keywords: 'pickings transfers outgoing shipping', allowed: always },
  { path: '/receipts', label: 'Go to Receipts', keywords: 'incoming transfers', allowed: always },
  { path: '/shipments', label: 'Go to the shipments screen', keywords: 'wall pending', allowed: always },
  { path: '/stock', label: 'Go to Stock', keywords: 'inventory on hand report', allowed: always },
  { path: '/stock/flow', label: 'Go to the materials flow', keywords: 'routes graph', allowed: always },
  { path: '/purchases', label: 'Go to Purchase orders', keywords: 'rfq buy vendors', allowed: canReadPurchases },
  { path: '/tenders', label: 'Go to Calls for tenders', keywords: 'rfq compare', allowed: canReadPurchases },
  { path: '/replenishment', label: 'Go to Replenishment', keywords: 'reorder rules', allowed: canReadPurchases },
  { path: '/invoices', label: 'Go to Invoices', keywords: 'bills credit notes accounting', allowed: canReadInvoices },
  { path: '/reports', label: 'Go to Reports', keywords: 'sales analysis journal receivables ageing', allowed: always },
  { path: '/partners', label: 'Go to Partners', keywords: 'customers vendors contacts', allowed: always },
  { path: '/products', label: 'Go to Products', keywords: 'catalog sku', allowed: always },
  { path: '/imports', label: 'Import orders from CSV', keywords: 'upload file shopify woocommerce', allowed: canImportOrders },
  { path: '/inbox', label: 'Go to Inbox', keywords: 'notifications messages', allowed: always },
  { path: '/mail/outbox', label: 'Go to Outbox', keywords: 'email mail sent', allowed: canReadMail },
  { path: '/taxes', label: 'Go to Taxes', keywords: 'rates vat', allowed: () => settingsEntries().some((e) => e.path === '/taxes') },
  { path: '/users', label: 'Go to Users', keywords: 'roles access people', allowed: () => settingsEntries().some((e) => e.path === '/users') },
  { path: '/settings', label: 'Go to Settings', keywords: 'configuration', allowed: () => settingsEntries().length > 0 },
];

/** The page a search hit opens. */
export const HIT_PATHS: Record<SearchKind, (id: number) => string> = {
  saleOrder: (id) => `/orders/${id}`,
  partner: (id) => `/partners/${id}`,
  product: (id) => `/products/${id}`,
  picking: (id) => `/pickings/${id}`,
  invoice: (id) => `/invoices/${id}`,
};
