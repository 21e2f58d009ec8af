import { can, limitedToOwnOrders, type Auth, type Permission } from '../modules/auth/access';
import { ForbiddenError, NotFoundError } from '../http/errors';
import { rooms } from '../../contracts/events';
import { assertRecordAccess, recordSpec } from '../lib/records';

const RECORD_ROOM = /^record:([A-Za-z]+):(\d+)$/;

export function isRecordRoom(room: string): boolean {
  return RECORD_ROOM.test(room);
}

// A record room is readable like the record's REST read: the same permission, and the record must exist.
const BOARDS: Record<string, Permission> = {
  'board:orders': 'saleOrder.read',
  'board:shipments': 'inventory.read',
  'board:mail': 'mail.read',
  'board:stock': 'inventory.read',
  'board:invoices': 'invoice.read',
  'board:purchases': 'purchase.read',
};

// The boards whose events concern orders: a user limited to their own orders who asks for one is given
// their own board room, which carries only what belongs to their orders.
const ORDER_BOARDS: readonly string[] = [rooms.ordersBoard, rooms.shipmentsBoard, rooms.invoicesBoard, rooms.mailBoard, rooms.purchasesBoard];

/** The room a user is given for a board they asked for. */
export function boardRoomFor(auth: Pick<Auth, 'user'>, board: string): string {
  return ORDER_BOARDS.includes(board) && limitedToOwnOrders(auth) ? rooms.ownBoard(board, auth.user.id) : board;
}

/** Throws unless auth may join the room; returns the room to join (see boardRoomFor). */
export async function authorizeRoom(auth: Auth, room: string): Promise<string> {
  const board = BOARDS[room];
  if (board) {
    if (!can(auth, board)) throw new ForbiddenError(`Your role may not watch ${room}`);
    return boardRoomFor(auth, room);
  }
  const user = /^user:(\d+)$/.exec(room);
  if (user) {
    if (Number(user[1]) !== auth.user.id) throw new ForbiddenError('That is another user’s room');
    return room;
  }
  const rec = RECORD_ROOM.exec(room);
  if (rec) {
    if (!recordSpec(rec[1]!)) throw new NotFoundError(`Room ${room}`);
    await assertRecordAccess(auth, rec[1]!, Number(rec[2]));
    return room;
  }
  throw new NotFoundError(`Room ${room}`);
}
