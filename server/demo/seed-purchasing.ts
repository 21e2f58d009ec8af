import type { Product, Tax } from '../../contracts/schemas/catalog';
import type { Partner } from '../../contracts/schemas/partners';
import type { PurchaseLineInput } from '../../contracts/schemas/purchasing';
import { AccountModel } from '../modules/accounting/account.model';
import { registerPayment } from '../modules/accounting/invoice.payments';
import { postInvoice } from '../modules/accounting/invoice.posting';
import { getInvoice } from '../modules/accounting/invoice.service';
import type { Auth } from '../modules/auth/access';
import { createTax } from '../modules/catalog/tax.service';
import { getPicking } from '../modules/inventory/picking.service';
import { createPurchaseOrder } from '../modules/purchasing/purchase-order.create';
import { sendPurchaseOrder } from '../modules/purchasing/purchase-order.mail';
import { quotePurchaseOrder } from '../modules/purchasing/purchase-order.quote';
import { getPurchaseOrder, listPurchaseOrders } from '../modules/purchasing/purchase-order.service';
import { createReorderRule } from '../modules/purchasing/reorder-rule.service';
import { createTender, sendTender } from '../modules/purchasing/tender.actions';
import { createSaleOrder } from '../modules/sales/sale-order.create';
import { validatePickingWorkflow } from '../workflows/delivery.workflow';
import { updateInvoice } from '../workflows/invoicing.workflow';
import { cancelPurchaseOrder, confirmPurchaseOrder } from '../workflows/purchase.workflow';
import { runReplenishment } from '../workflows/replenishment.workflow';
import { confirmSaleOrder } from '../workflows/sale-order-state.workflow';
import { billPurchaseOrder } from '../workflows/vendor-bill.workflow';

// The demo's purchasing, seeded after the sale orders (whose deliveries make the shortages): a
// purchase order in every state, a make-to-order sale waiting on its RFQ, a drop-shipped sale, a call
// for tenders with quotes to compare, reorder rules, and the draft RFQs they fill. Each step goes through the services and workflows the console calls.

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const dayOf = (iso: string) => iso.slice(0, 10);

/** The tax on what the shop buys: 20 % VAT it deducts, on the chart's deductible VAT account (1400). */
export async function seedPurchaseTax(auth: Auth): Promise<Tax> {
  const deductible = await AccountModel.findOne({ where: { code: '1400' } });
  return createTax(auth, { name: 'VAT 20% deductible', rate: 20, accountId: deductible?.id ?? null, active: true });
}

// Reorder rules (sku, min, max, multiple): some below their minimum once the demo orders took stock.
const RULES: [string, number, number, number][] = [
  ['MUG-TRV-40', 5, 20, 5],
  ['MUG-CER-35', 10, 30, 6],
  ['ESP-TMP-58', 10, 30, 10],
  ['CAN-VAC-05', 5, 20, 5],
];

export async function seedPurchasing(auth: Auth, products: Product[], partners: Partner[]): Promise<void> {
  const bySku = new Map(products.map((p) => [p.sku, p]));
  const line = (sku: string, quantity: number): PurchaseLineInput => ({ productId: bySku.get(sku)!.id, quantity });
  // A product's preferred vendor: its first.
  const vendorOf = (sku: string) => bySku.get(sku)!.vendors[0]!.partnerId;
  const order = (sku: string, ago: number, lines: PurchaseLineInput[], note: string | null = null) =>
    createPurchaseOrder(auth, { partnerId: vendorOf(sku), dateOrder: daysAgo(ago), note, lines });

  // A sale to the hotel, confirmed, and the vendor's draft RFQ it made, sent by the buyer.
  const hotel = partners.find((p) => p.name === 'Hotel Belvedere')!;
  const sellToHotel = async (sku: string, quantity: number, ago: number, note: string) => {
    const sale = await createSaleOrder(auth, {
      partnerId: hotel.id,
      shippingAddress: { name: hotel.name, street: hotel.street, city: hotel.city, zip: hotel.zip, countryCode: hotel.countryCode },
      needsAttention: false,
      note,
      dateOrder: daysAgo(ago),
      discountCode: null,
      orderDiscount: 0,
      lines: [{ productId: bySku.get(sku)!.id, quantity, discount: 0, discountAmount: 0 }],
    });
    await confirmSaleOrder(auth, sale.id);
    const [rfq] = (await listPurchaseOrders(auth, { saleOrderId: sale.id, state: ['draft'], sort: '-createdAt', limit: 1, offset: 0 })).items;
    if (rfq) await sendPurchaseOrder(auth, rfq.id);
  };
  // Make-to-order: espresso machines, bought for the order; the delivery waits for the RFQ ("Waiting another operation").
  await sellToHotel('ESP-MAC-01', 2, 2, 'Two machines for the breakfast room.');
  // Drop-shipped: tasting-set gift boxes go from their vendor straight to the hotel (the RFQ carries its address).
  await sellToHotel('GFT-BOX-01', 6, 1, 'Gift boxes for the guests of the wine week.');

  // A call for tenders: grinders and scales for the autumn promotion, asked of every vendor and sent;
  // two have quoted (the buyer entered their answers), the third not yet. The comparison shows the
  // cheapest and the fastest per line; choosing is left to whoever tries the console.
  const vendorIds = [...new Set(products.flatMap((p) => p.vendors.map((v) => v.partnerId)))];
  const tender = await createTender(auth, {
    deadline: new Date(Date.now() + 4 * DAY).toISOString(),
    origin: 'Autumn promotion',
    note: 'Forty grinders and twenty-five scales for the promotion in October.',
    lines: [
      { productId: bySku.get('GRN-HND-01')!.id, quantity: 40 },
      { productId: bySku.get('SCL-DIG-01')!.id, quantity: 25 },
    ],
    vendorIds,
  });
  const sentTender = await sendTender(auth, tender.id, tender.version);
  for (const [i, rfq] of sentTender.purchaseOrders.slice(0, 2).entries()) {
    const { lines } = await getPurchaseOrder(auth, rfq.id);
    // The first asks a little more and delivers sooner; the second is cheaper and slower.
    const factor = i === 0 ? 1.04 : 0.92;
    await quotePurchaseOrder(auth, rfq.id, {
      lines: lines.map((l) => ({ lineId: l.id, unitPrice: Math.round(l.unitPrice * factor), leadDays: i === 0 ? 4 : 9 })),
    });
  }

  // Confirmed twelve days ago, planned for a week ago, nothing arrived: a late receipt on the wall.
  const late = await order('GRN-HND-01', 12, [line('GRN-HND-01', 10), line('SCL-DIG-01', 6)]);
  await confirmPurchaseOrder(auth, late.id);

  // Partly received: the kettles came short, the rest is on a backorder.
  const partial = await confirmPurchaseOrder(auth, (await order('BRW-V60-02', 9, [line('BRW-V60-02', 20), line('KET-ELC-12', 6)])).id);
  const receipt = await getPicking(auth, partial.pickingIds[0]!);
  const received = receipt.moves.map((m) => ({ id: m.id, quantityDone: m.sku === 'KET-ELC-12' ? 2 : m.quantity }));
  await validatePickingWorkflow(auth, receipt.id, { moves: received, backorder: true });

  // Received in full, billed, the bill posted and paid: done.
  const done = await confirmPurchaseOrder(auth, (await order('KET-GOO-10', 20, [line('KET-GOO-10', 8), line('CLN-TAB-50', 30)])).id);
  await validatePickingWorkflow(auth, done.pickingIds[0]!, { backorder: true });
  const [billId] = (await billPurchaseOrder(auth, done.id)).invoiceIds;
  if (billId) {
    const bill = await updateInvoice(auth, billId, { version: (await getInvoice(auth, billId)).version, invoiceDate: dayOf(daysAgo(13)) });
    const posted = await postInvoice(auth, billId, bill.version);
    await registerPayment(auth, billId, { amount: posted.amountTotal, date: dayOf(daysAgo(4)), method: 'bank', customerCredit: false });
  }

  // Cancelled: the vendor could not deliver before the next harvest.
  const cancelled = await order('COF-ETH-250', 6, [line('COF-ETH-250', 40), line('COF-ESP-1K', 20)], 'Out of stock until the next harvest: ordered elsewhere.');
  await cancelPurchaseOrder(auth, cancelled.id);

  // The reorder rules, then one run of them: the draft RFQs of the vendors of those below their minimum.
  for (const [sku, min, max, multiple] of RULES) await createReorderRule(auth, { productId: bySku.get(sku)!.id, min, max, multiple, active: true });
  await runReplenishment(auth);
}
