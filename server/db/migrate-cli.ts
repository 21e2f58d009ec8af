import { ConfigError, loadConfig } from '../config';
import { connectDb, closeDb } from './sequelize';
import { migrate, migrator } from './migrate';

// npm run migrate [-- down]
async function main() {
  const config = loadConfig();
  const sequelize = await connectDb(config);
  if (process.argv[2] === 'down') {
    const reverted = await migrator(sequelize).down();
    console.log(reverted.length ? `Reverted ${reverted.map((m) => m.name).join(', ')}` : 'Nothing to revert');
  } else {
    const applied = await migrate(sequelize);
    console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date');
  }
  await closeDb();
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
