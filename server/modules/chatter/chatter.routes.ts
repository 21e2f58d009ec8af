import { z } from 'zod';
import {
  attachment,
  attachmentUpload,
  follower,
  followerCreate,
  followerMute,
  mentionCandidate,
  mentionQuery,
  message,
  messageListQuery,
  messagePost,
  notificationList,
  notificationListQuery,
  recordRef,
} from '../../../contracts/schemas/chatter';
import { listOf } from '../../../contracts/schemas/common';
import { ApiRouter } from '../../http/api-router';
import { multipart } from '../../http/upload';
import { runtime } from '../../runtime';
import * as attachments from './attachments.service';
import * as chatter from './chatter.service';
import * as followers from './followers.service';
import * as notifications from './notification.service';

export function messageRoutes() {
  const api = new ApiRouter('/api/messages', 'chatter');
  api.get('/', { summary: "A record's chatter, newest first", query: messageListQuery, response: listOf(message) }, (a, { query }) =>
    chatter.listMessages(a, query),
  );
  api.post('/', { summary: 'Send a message (comment) or log a note', body: messagePost, response: message, status: 201 }, (a, { body }) =>
    chatter.postMessage(a, body),
  );
  api.get('/mentions', { summary: 'Users who may read the record, for @mentions', query: mentionQuery, response: listOf(mentionCandidate) }, (a, { query }) =>
    chatter.mentionCandidates(a, query),
  );
  return api.router;
}

export function followerRoutes() {
  const api = new ApiRouter('/api/followers', 'chatter');
  api.get('/', { summary: "A record's followers", query: recordRef, response: listOf(follower) }, (a, { query }) =>
    followers.listFollowers(a, query.model, query.resId),
  );
  api.post('/', { summary: 'Follow a record (yourself, or a user or partner)', body: followerCreate, response: follower, status: 201 }, (a, { body }) =>
    followers.addFollower(a, body),
  );
  api.post('/mute', { summary: 'Mute or unmute a record for me', body: followerMute, response: follower }, (a, { body }) => followers.setMuted(a, body));
  api.delete('/:id', { summary: 'Stop following' }, (a, { id }) => followers.removeFollower(a, id));
  return api.router;
}

export function attachmentRoutes() {
  const api = new ApiRouter('/api/attachments', 'chatter');
  // multipart/form-data: `file` plus the record's `model` and `resId`.
  api.router.post('/', multipart({ field: 'file', maxBytes: () => runtime().config.attachmentMaxBytes, tooLarge: attachments.tooLargeError }));
  api.post(
    '/',
    { summary: 'Upload a file to attach to a message (multipart: file, model, resId)', body: attachmentUpload, response: attachment, status: 201 },
    (a, { body, req }) => attachments.uploadAttachment(a, body, req.file),
  );
  api.get('/:id', { summary: 'Download an attachment', response: z.string().describe('the file') }, (a, { id, res }) => attachments.sendAttachment(a, id, res));
  api.delete('/:id', { summary: 'Remove an upload not yet posted' }, (a, { id }) => attachments.deleteUpload(a, id));
  return api.router;
}

export function notificationRoutes() {
  const api = new ApiRouter('/api/notifications', 'chatter');
  api.get('/', { summary: 'My inbox, newest first, with the unread count', query: notificationListQuery, response: notificationList }, (a, { query }) =>
    notifications.listNotifications(a, query),
  );
  api.post('/read-all', { summary: 'Mark my whole inbox read' }, (a) => notifications.markAllRead(a));
  api.post('/:id/read', { summary: 'Mark one notification read' }, (a, { id }) => notifications.markRead(a, id));
  return api.router;
}
