import {
  follower,
  followerCreate,
  message,
  messageListQuery,
  messagePost,
  notificationList,
  notificationListQuery,
  recordRef,
} from '../../../contracts/schemas/chatter';
import { listOf } from '../../../contracts/schemas/common';
import { ApiRouter } from '../../http/api-router';
import * as chatter from './chatter.service';
import * as notifications from './notification.service';

export function messageRoutes() {
  const api = new ApiRouter('/api/messages', 'chatter');
  api.get('/', { summary: "A record's chatter, newest first", query: messageListQuery, response: listOf(message) }, (a, { query }) =>
    chatter.listMessages(a, query),
  );
  api.post('/', { summary: 'Send a message (comment) or log a note', body: messagePost, response: message, status: 201 }, (a, { body }) =>
    chatter.postMessage(a, body),
  );
  return api.router;
}

export function followerRoutes() {
  const api = new ApiRouter('/api/followers', 'chatter');
  api.get('/', { summary: "A record's followers", query: recordRef, response: listOf(follower) }, (a, { query }) =>
    chatter.listFollowers(a, query.model, query.resId),
  );
  api.post('/', { summary: 'Follow a record (yourself, or a user or partner)', body: followerCreate, response: follower, status: 201 }, (a, { body }) =>
    chatter.addFollower(a, body),
  );
  api.delete('/:id', { summary: 'Stop following' }, (a, { id }) => chatter.removeFollower(a, id));
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
