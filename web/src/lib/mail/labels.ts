import type { MailStatus } from '$contracts/schemas/mail';

// The console imports only types from contracts/schemas (the values would bring zod along).
export const MAIL_STATUS_LABELS: Record<MailStatus, string> = { queued: 'Queued', sent: 'Sent', failed: 'Failed' };
export const MAIL_STATUS_OPTIONS = Object.keys(MAIL_STATUS_LABELS) as MailStatus[];
