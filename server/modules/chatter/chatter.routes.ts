import { routes } from '../../../contracts/api';
import { ApiRouter } from '../../http/api-router';
import { multipart } from '../../http/upload';
import { runtime } from '../../runtime';
import * as attachments from './attachments.service';
import * as chatter from './chatter.service';
import * as followers from './followers.service';
import * as notifications from './notification.service';

export function messageRoutes() {
  const api = new ApiRouter('/api/messages');
  api.handle(routes.messages.list, (a, { query }) => chatter.listMessages(a, query));
  api.handle(routes.messages.post, (a, { body }) => chatter.postMessage(a, body));
  api.handle(routes.messages.mentions, (a, { query }) => chatter.mentionCandidates(a, query));
  return api.router;
}

export function followerRoutes() {
  const api = new ApiRouter('/api/followers');
  api.handle(routes.followers.list, (a, { query }) => followers.listFollowers(a, query.model, query.resId));
  api.handle(routes.followers.follow, (a, { body }) => followers.addFollower(a, body));
  api.handle(routes.followers.mute, (a, { body }) => followers.setMuted(a, body));
  api.handle(routes.followers.remove, (a, { id }) => followers.removeFollower(a, id));
  return api.router;
}

export function attachmentRoutes() {
  const api = new ApiRouter('/api/attachments');
  // multipart/form-data: `file` plus the record's `model` and `resId`.
  api.router.post('/', multipart({ field: 'file', maxBytes: () => runtime().config.attachmentMaxBytes, tooLarge: attachments.tooLargeError }));
  api.handle(routes.attachments.upload, (a, { body, req }) => attachments.uploadAttachment(a, body, req.file));
  api.handle(routes.attachments.download, (a, { id, res }) => attachments.sendAttachment(a, id, res));
  api.handle(routes.attachments.remove, (a, { id }) => attachments.deleteUpload(a, id));
  return api.router;
}

export function notificationRoutes() {
  const api = new ApiRouter('/api/notifications');
  api.handle(routes.notifications.list, (a, { query }) => notifications.listNotifications(a, query));
  api.handle(routes.notifications.readAll, (a) => notifications.markAllRead(a));
  api.handle(routes.notifications.read, (a, { id }) => notifications.markRead(a, id));
  return api.router;
}
