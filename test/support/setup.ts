import { afterEach } from 'vitest';
import { isConnected } from '../../server/db/sequelize';
import { expectStockInvariants } from './stock-invariants';

// After every integration test whose server runs in this process: on hand equals the done moves,
// reserved never exceeds on hand (see expectStockInvariants).
afterEach(async () => {
  if (isConnected()) await expectStockInvariants();
});
