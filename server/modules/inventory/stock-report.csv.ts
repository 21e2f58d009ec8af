import { csvText } from '../../lib/csv';
import type { StockReportItem } from '../../../contracts/schemas/inventory';

/** The stock report as a CSV file (one row per product and location). */
export function stockReportCsv(items: StockReportItem[]): string {
  return csvText(
    items.map((i) => [i.sku, i.productName, i.locationName, i.onHand, i.reserved, i.incoming, i.outgoing, i.forecast]),
    { header: true, columns: ['sku', 'product', 'location', 'on_hand', 'reserved', 'incoming', 'outgoing', 'forecast'] },
  );
}
