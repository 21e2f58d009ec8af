import type { AttentionReason } from '../../../contracts/schemas/sales';

/** The reasons an order needs attention once its lines are known: an unmatched line is one until it is matched. */
export function reasonsWith(
  reasons: AttentionReason[],
  lines: { productId: number | null; description: string; externalSku?: string | null }[],
): AttentionReason[] {
  return [
    ...reasons.filter((r) => r.code !== 'unmatched_product'),
    ...lines
      .filter((l) => l.productId === null)
      .map((l) => ({
        code: 'unmatched_product' as const,
        message: `"${l.description}"${l.externalSku ? ` (the shop's SKU ${l.externalSku})` : ''} is not matched to a product here: match it to a product before confirming`,
      })),
  ];
}

/** The flag and its reasons: flagged when asked to be, or when there is a reason. */
export function attention(flag: boolean, reasons: AttentionReason[]): { needsAttention: boolean; attentionReasons: AttentionReason[] } {
  return { needsAttention: flag || reasons.length > 0, attentionReasons: reasons };
}
