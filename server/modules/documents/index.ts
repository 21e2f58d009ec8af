export type { DocumentModel, DocumentTable, LabelledValue, RecipientBlock, SellerBlock, TableColumn, TextAlign } from './document.model';
export { deliveryNoteDocument, formatQuantity, type DeliveryNoteInput } from './delivery-note';
export { renderDocx } from './docx';
export { renderPdf } from './pdf';
export { invoiceDocument, type InvoiceDocumentInput } from './invoice';
export { purchaseOrderDocument, type PurchaseOrderDocumentInput } from './purchase-order';
