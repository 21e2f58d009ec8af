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
} from '../schemas/chatter';
import { listOf } from '../schemas/common';
import { routeGroup } from './route';

const route = routeGroup('chatter');

// Chatter routes take the record's own rule (its model's read or write permission, own orders), checked
// by the handler: no single role permission.
export const messages = {
  list: route({
    method: 'get',
    path: '/api/messages',
    summary: "A record's chatter, newest first",
    query: messageListQuery,
    response: listOf(message),
    permission: null,
  }),
  post: route({
    method: 'post',
    path: '/api/messages',
    summary: 'Send a message (comment) or log a note',
    body: messagePost,
    response: message,
    status: 201,
    permission: null,
  }),
  mentions: route({
    method: 'get',
    path: '/api/messages/mentions',
    summary: 'Users who may read the record, for @mentions',
    query: mentionQuery,
    response: listOf(mentionCandidate),
    permission: null,
  }),
};

export const followers = {
  list: route({ method: 'get', path: '/api/followers', summary: "A record's followers", query: recordRef, response: listOf(follower), permission: null }),
  follow: route({
    method: 'post',
    path: '/api/followers',
    summary: 'Follow a record (yourself, or a user or partner)',
    body: followerCreate,
    response: follower,
    status: 201,
    permission: null,
  }),
  mute: route({
    method: 'post',
    path: '/api/followers/mute',
    summary: 'Mute or unmute a record for me',
    body: followerMute,
    response: follower,
    permission: null,
  }),
  remove: route({ method: 'delete', path: '/api/followers/:id', summary: 'Stop following', permission: null }),
};

export const attachments = {
  upload: route({
    method: 'post',
    path: '/api/attachments',
    summary: 'Upload a file to attach to a message (multipart: file, model, resId)',
    body: attachmentUpload,
    multipart: true,
    response: attachment,
    status: 201,
    permission: null,
  }),
  download: route({
    method: 'get',
    path: '/api/attachments/:id',
    summary: 'Download an attachment',
    response: z.string().describe('the file'),
    file: true,
    permission: null,
  }),
  remove: route({ method: 'delete', path: '/api/attachments/:id', summary: 'Remove an upload not yet posted', permission: null }),
};

export const notifications = {
  list: route({
    method: 'get',
    path: '/api/notifications',
    summary: 'My inbox, newest first, with the unread count',
    query: notificationListQuery,
    response: notificationList,
    permission: null,
  }),
  readAll: route({ method: 'post', path: '/api/notifications/read-all', summary: 'Mark my whole inbox read', permission: null }),
  read: route({ method: 'post', path: '/api/notifications/:id/read', summary: 'Mark one notification read', permission: null }),
};
