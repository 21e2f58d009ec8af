import { accounts, invoices, journals, pickingCreditNote, reports } from './accounting';
import { auth, users } from './auth';
import { products, taxes } from './catalog';
import { channels, channelWebhooks } from './channels';
import { attachments, followers, messages, notifications } from './chatter';
import { company } from './company';
import { dashboard, salesReports } from './dashboard';
import { routeGraph } from './flow';
import { imports } from './imports';
import { locations, pickings, shipments, stock, warehouses } from './inventory';
import { jobs } from './jobs';
import { mail, mailWebhooks } from './mail';
import { ops } from './ops';
import { partners } from './partners';
import { pickingOrderMore, pickingShortageRoute, portal, purchaseOrders, reorderRules, replenishment } from './purchasing';
import { saleOrders } from './sales';
import { search } from './search';
import { pickingTenderRoute, tenders } from './tenders';

export * from './route';

/** Every route of the API, declared once (method, path, schemas, permission): the server's and the console's. */
export const routes = {
  ops,
  auth,
  users,
  company,
  accounts,
  journals,
  taxes,
  partners,
  products,
  warehouses,
  locations,
  pickings: { ...pickings, creditNote: pickingCreditNote, shortage: pickingShortageRoute, orderMore: pickingOrderMore, tender: pickingTenderRoute },
  stock,
  routeGraph,
  shipments,
  saleOrders,
  search,
  purchaseOrders,
  portal,
  reorderRules,
  replenishment,
  tenders,
  invoices,
  reports,
  salesReports,
  dashboard,
  channels,
  channelWebhooks,
  imports,
  jobs,
  messages,
  followers,
  attachments,
  notifications,
  mail,
  mailWebhooks,
};
