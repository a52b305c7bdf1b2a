// `npm run db:migrate`: applies pending migrations to DATABASE_URL (from .env or the environment)
// without starting the server. Herald also does this at every start.
import { config as loadDotenv } from 'dotenv';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/log.js';

loadDotenv({ quiet: true });
const databaseUrl = process.env.DATABASE_URL?.trim() || 'file:./data/herald.db';
const database = await openDatabase(databaseUrl, createLogger('info'));
await database.close();
console.log(`database at ${database.provider === 'sqlite' ? databaseUrl : 'PostgreSQL'} is up to date`);
