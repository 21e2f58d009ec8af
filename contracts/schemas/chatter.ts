import { z } from 'zod';
import { RECORD_MODELS } from '../states';

export const MESSAGE_TYPES = ['comment', 'note', 'tracking'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const trackingValue = z.object({
  field: z.string(),
  oldValue: z.union([z.string(), z.number(), z.null()]),
  newValue: z.union([z.string(), z.number(), z.null()]),
});
export type TrackingValue = z.infer<typeof trackingValue>;

export const attachment = z.object({
  id: z.number().int(),
  name: z.string(),
  mimeType: z.string(),
  size: z.number().int().describe('bytes'),
  url: z.string().describe('download address (authorised like reading the record)'),
});
export type Attachment = z.infer<typeof attachment>;

export const message = z.object({
  id: z.number().int(),
  model: z.enum(RECORD_MODELS),
  resId: z.number().int(),
  type: z.enum(MESSAGE_TYPES),
  body: z.string().describe('sanitised HTML'),
  authorId: z.number().int().nullable(),
  authorName: z.string().nullable(),
  authorPartnerId: z.number().int().nullable(),
  /** The sender (`Name <address>`) when the message came in by email. */
  emailFrom: z.string().nullable(),
  tracking: z.array(trackingValue),
  attachments: z.array(attachment),
  createdAt: z.string(),
});
export type Message = z.infer<typeof message>;

export const recordRef = z.object({
  model: z.enum(RECORD_MODELS),
  resId: z.coerce.number().int().positive(),
});

export const messageListQuery = recordRef.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

// Tracking entries are written by the server only, as part of the change they record.
export const messagePost = recordRef.extend({
  type: z.enum(['comment', 'note']),
  body: z.string().trim().min(1).max(100_000),
  /** Files uploaded first with POST /api/attachments for the same record. */
  attachmentIds: z.array(z.number().int().positive()).max(20).default([]),
});
export type MessagePost = z.infer<typeof messagePost>;

export const follower = z.object({
  id: z.number().int(),
  model: z.enum(RECORD_MODELS),
  resId: z.number().int(),
  userId: z.number().int().nullable(),
  partnerId: z.number().int().nullable(),
  name: z.string(),
  /** A muted follower gets no inbox notification or email from this record (an @mention still reaches them). */
  muted: z.boolean(),
});
export type Follower = z.infer<typeof follower>;

export const followerCreate = recordRef
  .extend({ userId: z.number().int().positive().optional(), partnerId: z.number().int().positive().optional() })
  .refine((v) => (v.userId === undefined) !== (v.partnerId === undefined), { message: 'give exactly one of userId and partnerId', path: ['userId'] });

export const followerMute = recordRef.extend({ muted: z.boolean() });

/** Multipart fields that go with the `file` part of POST /api/attachments. */
export const attachmentUpload = recordRef;

export const mentionQuery = recordRef.extend({ q: z.string().trim().max(100).default('') });
export const mentionCandidate = z.object({ id: z.number().int(), name: z.string(), email: z.string() });
export type MentionCandidate = z.infer<typeof mentionCandidate>;

export const notification = z.object({
  id: z.number().int(),
  reason: z.enum(['follower', 'mention']),
  isRead: z.boolean(),
  createdAt: z.string(),
  message: message,
  /** The record's display name, e.g. S00012 (null when it no longer exists). */
  recordName: z.string().nullable(),
});
export type Notification = z.infer<typeof notification>;

export const notificationListQuery = z.object({
  unread: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
export const notificationList = z.object({ items: z.array(notification), total: z.number().int(), unread: z.number().int() });
export type NotificationList = z.infer<typeof notificationList>;
