import type { Product } from '../../contracts/schemas/catalog';
import type { Partner } from '../../contracts/schemas/partners';
import type { SaleOrderState } from '../../contracts/states';
import type { Auth } from '../modules/auth/access';
import { UserModel } from '../modules/auth/user.model';
import { ProductModel } from '../modules/catalog/catalog.model';
import { createProduct } from '../modules/catalog/product.service';
import { createTax } from '../modules/catalog/tax.service';
import { AccountModel } from '../modules/accounting/account.model';
import { csvImportChannel } from '../modules/channels/channel.service';
import { getCompany, updateCompany } from '../modules/company/company.service';
import { createPartner } from '../modules/partners/partner.service';
import { SaleOrderModel } from '../modules/sales/sale-order.model';
import { createSaleOrder } from '../modules/sales/sale-order.create';
import { cancelSaleOrder, confirmSaleOrder, sendSaleOrder, simpleSaleOrderAction } from '../workflows/sale-order-state.workflow';
import { logger } from '../lib/logger';
import { registerPayment } from '../modules/accounting/invoice.payments';
import { postInvoice } from '../modules/accounting/invoice.posting';
import { getInvoice } from '../modules/accounting/invoice.service';
import { invoiceSaleOrder, updateInvoice } from '../workflows/invoicing.workflow';
import { createMessage } from '../modules/chatter/chatter.service';
import { listPickings } from '../modules/inventory/picking.service';
import { adjustStock } from '../modules/inventory/stock.service';
import { validatePickingWorkflow } from '../workflows/delivery.workflow';
import { withTransaction } from '../db/transaction';
import { seedPurchaseTax, seedPurchasing } from './seed-purchasing';

// Demo data for the embedded default: a small online shop for coffee and kitchenware.

const PRODUCTS: [string, string, 'storable' | 'consumable' | 'service', number, number, 'std' | 'reduced' | 'none'][] = [
  ['COF-ETH-250', 'Ethiopia Yirgacheffe beans 250 g', 'consumable', 1290, 540, 'reduced'],
  ['COF-COL-250', 'Colombia Huila beans 250 g', 'consumable', 1150, 480, 'reduced'],
  ['COF-BRA-1K', 'Brazil Cerrado beans 1 kg', 'consumable', 3290, 1450, 'reduced'],
  ['COF-ESP-1K', 'House espresso blend 1 kg', 'consumable', 2890, 1250, 'reduced'],
  ['COF-DEC-250', 'Swiss-water decaf 250 g', 'consumable', 1390, 610, 'reduced'],
  ['TEA-SEN-100', 'Japanese sencha 100 g', 'consumable', 990, 380, 'reduced'],
  ['GRN-HND-01', 'Hand grinder, ceramic burrs', 'storable', 4990, 2100, 'std'],
  ['GRN-ELC-02', 'Electric burr grinder', 'storable', 18900, 9800, 'std'],
  ['BRW-V60-02', 'Pour-over dripper, size 02', 'storable', 2490, 900, 'std'],
  ['BRW-FLT-100', 'Paper filters, 100 pcs', 'consumable', 690, 190, 'std'],
  ['BRW-FRP-08', 'French press 0.8 l', 'storable', 3490, 1400, 'std'],
  ['BRW-AER-01', 'Travel press', 'storable', 3990, 1900, 'std'],
  ['BRW-MOK-06', 'Stovetop moka pot, 6 cups', 'storable', 4290, 1800, 'std'],
  ['KET-GOO-10', 'Gooseneck kettle 1 l', 'storable', 6990, 3100, 'std'],
  ['KET-ELC-12', 'Electric gooseneck kettle', 'storable', 11900, 5600, 'std'],
  ['SCL-DIG-01', 'Coffee scale with timer', 'storable', 3990, 1500, 'std'],
  ['MUG-CER-35', 'Stoneware mug 350 ml', 'storable', 1890, 600, 'std'],
  ['MUG-TRV-40', 'Insulated travel mug', 'storable', 2790, 1100, 'std'],
  ['CUP-ESP-2', 'Espresso cups, set of 2', 'storable', 2290, 800, 'std'],
  ['ESP-MAC-01', 'Home espresso machine', 'storable', 54900, 31000, 'std'],
  ['ESP-TMP-58', 'Tamper 58 mm', 'storable', 3490, 1200, 'std'],
  ['ESP-PIT-35', 'Milk pitcher 350 ml', 'storable', 1990, 700, 'std'],
  ['CLN-TAB-50', 'Cleaning tablets, 50 pcs', 'consumable', 1490, 500, 'std'],
  ['CLN-DSC-01', 'Descaler 500 ml', 'consumable', 1290, 400, 'std'],
  ['CAN-VAC-05', 'Vacuum coffee canister', 'storable', 2990, 1100, 'std'],
  ['GFT-BOX-01', 'Gift box: tasting set', 'storable', 4590, 2000, 'std'],
  ['GFT-CRD-50', 'Gift card 50', 'service', 5000, 0, 'none'],
  ['SRV-WRK-01', 'Brewing workshop (online)', 'service', 3500, 0, 'std'],
  ['SRV-MNT-01', 'Espresso machine service', 'service', 8900, 2500, 'std'],
  ['SHP-EXP-01', 'Express shipping', 'service', 990, 600, 'std'],
];

const PEOPLE: [string, string, string, string, string, string][] = [
  ['Amélie Laurent', 'amelie.laurent@example.fr', '12 rue des Lilas', 'Lyon', '69003', 'FR'],
  ['Jonas Becker', 'jonas.becker@example.de', 'Gartenstraße 8', 'Hamburg', '20095', 'DE'],
  ['Sofia Rossi', 'sofia.rossi@example.it', 'Via Roma 41', 'Torino', '10121', 'IT'],
  ['Liam O’Connor', 'liam.oconnor@example.ie', '3 Harbour View', 'Cork', 'T12 X2Y3', 'IE'],
  ['Emma de Vries', 'emma.devries@example.nl', 'Prinsengracht 220', 'Amsterdam', '1016 HK', 'NL'],
  ['Lucas Martin', 'lucas.martin@example.fr', '5 avenue Foch', 'Paris', '75116', 'FR'],
  ['Marta Nowak', 'marta.nowak@example.pl', 'ul. Długa 17', 'Gdańsk', '80-827', 'PL'],
  ['Hugo Silva', 'hugo.silva@example.pt', 'Rua Augusta 90', 'Lisboa', '1100-053', 'PT'],
  ['Elena García', 'elena.garcia@example.es', 'Calle Mayor 3', 'Madrid', '28013', 'ES'],
  ['Noah Weber', 'noah.weber@example.at', 'Mariahilfer Straße 55', 'Wien', '1060', 'AT'],
  ['Clara Jensen', 'clara.jensen@example.dk', 'Nørregade 12', 'København', '1165', 'DK'],
  ['Oscar Lindqvist', 'oscar.lindqvist@example.se', 'Drottninggatan 71', 'Stockholm', '111 36', 'SE'],
  ['Chloé Dubois', 'chloe.dubois@example.be', 'Rue Neuve 101', 'Bruxelles', '1000', 'BE'],
  ['Felix Schmid', 'felix.schmid@example.ch', 'Bahnhofstrasse 20', 'Zürich', '8001', 'CH'],
  ['Mia Horvat', 'mia.horvat@example.hr', 'Ilica 44', 'Zagreb', '10000', 'HR'],
  ['Leo Moreau', 'leo.moreau@example.fr', '8 quai de la Fosse', 'Nantes', '44000', 'FR'],
];

const COMPANIES: [string, string, string, string, string, string, ('customer' | 'vendor')[]][] = [
  ['Café Lumière SARL', 'orders@cafe-lumiere.example', '22 place Bellecour', 'Lyon', '69002', 'FR', ['customer']],
  ['Bürohaus Kaffee GmbH', 'einkauf@buerohaus.example', 'Friedrichstraße 120', 'Berlin', '10117', 'DE', ['customer']],
  ['Green Bean Importers Ltd', 'sales@greenbean.example', '14 Dock Road', 'London', 'E16 1AH', 'GB', ['vendor']],
  ['Kitchenware Wholesale BV', 'verkoop@kitchenware.example', 'Industrieweg 9', 'Utrecht', '3542 AD', 'NL', ['vendor']],
  ['Nordic Roasters AB', 'hello@nordicroasters.example', 'Hamngatan 4', 'Göteborg', '411 06', 'SE', ['vendor', 'customer']],
  ['Hotel Belvedere', 'purchasing@belvedere.example', 'Via Veneto 88', 'Roma', '00187', 'IT', ['customer']],
];

// A small deterministic generator, so every fresh demo database looks the same.
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const REPLIES = [
  'Could you deliver after 5pm? Nobody is home during the day.',
  'Thanks! Can you add a gift note saying “Happy birthday, Marie”?',
  'Is it possible to split the delivery, the lamp first?',
  'Please use the side entrance, the door code is 4711.',
];

export async function seedDemo(): Promise<void> {
  if ((await SaleOrderModel.count()) > 0 || (await ProductModel.count()) > 0) return;
  const admin = await UserModel.findOne({ where: { role: 'admin' }, order: [['id', 'ASC']] });
  if (!admin) return;
  const auth: Auth = { user: { id: admin.id, email: admin.email, name: admin.name, role: 'admin' }, via: 'session' };
  const started = Date.now();

  // A company of its own, so the demo's emails, documents and template previews carry one real name.
  const company = await getCompany(auth);
  if (company.name === 'My Company') {
    await updateCompany(auth, {
      version: company.version,
      name: 'Maison Lumière SARL',
      street: '12 rue des Ateliers',
      zip: '69002',
      city: 'Lyon',
      countryCode: 'FR',
      vatId: 'FR40123456789',
      email: 'orders@maison-lumiere.example',
      phone: '+33 4 72 00 00 00',
    });
  }

  const vatAccount = await AccountModel.findOne({ where: { code: '2400' } });
  const std = await createTax(auth, { name: 'VAT 20%', rate: 20, accountId: vatAccount?.id ?? null, active: true });
  const reduced = await createTax(auth, { name: 'VAT 5.5%', rate: 5.5, accountId: vatAccount?.id ?? null, active: true });
  await createTax(auth, { name: 'Eco-fee 0.5%', rate: 0.5, accountId: vatAccount?.id ?? null, active: true });
  const purchaseTax = await seedPurchaseTax(auth);

  const partners: Partner[] = [];
  for (const [name, email, street, city, zip, countryCode] of PEOPLE) {
    partners.push(await createPartner(auth, { name, email, street, city, zip, countryCode, isCompany: false, roles: ['customer'] }));
  }
  const vendors: Partner[] = [];
  for (const [name, email, street, city, zip, countryCode, roles] of COMPANIES) {
    const p = await createPartner(auth, { name, email, street, city, zip, countryCode, isCompany: true, roles });
    if (roles.includes('customer')) partners.push(p);
    if (roles.includes('vendor')) vendors.push(p);
  }

  const products: Product[] = [];
  for (const [i, [sku, name, type, listPrice, cost, tax]] of PRODUCTS.entries()) {
    const vendor = vendors[i % vendors.length]!;
    products.push(
      await createProduct(auth, {
        sku,
        name,
        type,
        listPrice,
        cost,
        taxIds: tax === 'std' ? [std.id] : tax === 'reduced' ? [reduced.id] : [],
        invoicePolicy: type === 'storable' ? 'delivery' : 'order',
        routes: sku.startsWith('ESP-MAC') ? ['buy', 'mto'] : sku.startsWith('GFT-BOX') ? ['dropship'] : type === 'service' ? [] : ['buy'],
        vendors: type === 'service' ? [] : [{ partnerId: vendor.id, price: cost, minQty: 1, leadDays: 3 + (i % 5) }],
        purchaseTaxIds: type === 'service' ? [] : [purchaseTax.id],
        // Goods are billed as they arrive; supplies (beans, filters, tablets) as ordered.
        billPolicy: type === 'storable' ? 'received' : 'ordered',
        active: true,
      }),
    );
  }

  const random = rng(42);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;

  // Stock on hand for most storable products; a few are out of stock, so some deliveries wait.
  for (const [i, p] of products.entries()) {
    if (p.type === 'storable' && i % 6 !== 5) await adjustStock(auth, { productId: p.id, quantity: 5 + Math.floor(random() * 40) });
  }
  const plan: SaleOrderState[] = [
    ...Array<SaleOrderState>(10).fill('draft'),
    ...Array<SaleOrderState>(8).fill('sent'),
    ...Array<SaleOrderState>(14).fill('sale'),
    ...Array<SaleOrderState>(6).fill('done'),
    ...Array<SaleOrderState>(4).fill('cancel'),
  ];
  // Mixed in time, as a real board is: every state among recent and older orders.
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  const posted = { count: 0 };
  // A third of the orders came in from the shop's CSV export, with the shop's own order numbers.
  const csvChannel = await csvImportChannel(null);
  for (const [i, state] of plan.entries()) {
    const fromShop = i % 3 === 1;
    const partner = pick(partners);
    const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const p = pick(products);
      return { productId: p.id, quantity: 1 + Math.floor(random() * 3), discount: random() < 0.2 ? 10 : 0, discountAmount: 0 };
    });
    // Some customers came with a code: €5 off an order of more than €20.
    const price = new Map(products.map((p) => [p.id, p.listPrice]));
    const coupon = i % 7 === 3 && lines.reduce((s, l) => s + l.quantity * price.get(l.productId)! * (1 - l.discount / 100), 0) > 2000;
    const daysAgo = plan.length - i;
    const order = await createSaleOrder(auth, {
      partnerId: partner.id,
      shippingAddress: { name: partner.name, street: partner.street, city: partner.city, zip: partner.zip, countryCode: partner.countryCode },
      needsAttention: i % 9 === 4,
      note: i % 9 === 4 ? 'Customer asked to ship before the weekend.' : null,
      dateOrder: new Date(Date.now() - daysAgo * 86_400_000 - Math.floor(random() * 36_000_000)).toISOString(),
      discountCode: coupon ? 'WELCOME5' : null,
      orderDiscount: coupon ? 500 : 0,
      ...(fromShop && { channelId: csvChannel.id, externalId: `#${1001 + i}`, reference: `#${1001 + i}` }),
      lines,
    });
    if (state === 'sent') await sendSaleOrder(auth, order.id);
    if (state === 'sale' || state === 'done') await confirmSaleOrder(auth, order.id);
    if (state === 'done') {
      // A locked order was shipped: its delivery is validated (what was in stock; the rest backordered).
      const [delivery] = (await listPickings(auth, { saleOrderId: order.id, type: ['outgoing'], limit: 1, offset: 0 })).items;
      if (delivery?.state === 'assigned') await validatePickingWorkflow(auth, delivery.id, { backorder: true, trackingRef: `1Z${String(900000 + i)}` });
      await simpleSaleOrderAction(auth, order.id, 'lock');
    }
    if (state === 'cancel') await cancelSaleOrder(auth, order.id);
    // Shipped orders are invoiced on the day they were ordered: most paid, some in part, some overdue.
    if (state === 'done' || (state === 'sale' && i % 3 === 0)) await seedInvoices(auth, order.id, order.dateOrder.slice(0, 10), posted, state === 'done');
    // A few customers wrote back, as an emailed reply would land: the administrator (a follower) has them in the inbox.
    if (i % 11 === 3 && partner.email) {
      await withTransaction((t) =>
        createMessage(t, {
          model: 'saleOrder',
          resId: order.id,
          type: 'comment',
          body: `<p>${REPLIES[i % REPLIES.length]}</p><p>${partner.name}</p>`,
          author: { partnerId: partner.id, name: partner.name, email: `${partner.name} <${partner.email}>` },
          excludePartnerIds: [partner.id],
        }),
      );
    }
  }
  await seedPurchasing(auth, products, partners);
  logger.info(
    { ms: Date.now() - started, orders: plan.length, products: products.length, partners: partners.length },
    `demo data created: ${plan.length} orders, ${products.length} products, ${partners.length} partners`,
  );
}

async function seedInvoices(auth: Auth, orderId: number, day: string, posted: { count: number }, post: boolean): Promise<void> {
  const { invoiceIds } = await invoiceSaleOrder(auth, orderId).catch(() => ({ invoiceIds: [] as number[] }));
  for (const id of invoiceIds) {
    const draft = await updateInvoice(auth, id, { version: (await getInvoice(auth, id)).version, invoiceDate: day });
    if (!post) continue;
    const inv = await postInvoice(auth, id, draft.version);
    const i = posted.count++;
    if (i % 3 === 0) continue; // open: due, or overdue for the older ones
    const amount = i % 3 === 1 ? Math.round(inv.amountTotal / 2) : inv.amountTotal;
    await registerPayment(auth, id, { amount, date: day, method: i % 2 ? 'bank' : 'cash', customerCredit: false });
  }
}
