// Start-up: read .env and the environment, start Herald, stop cleanly on SIGINT/SIGTERM.
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from './config.js';
import { startHerald } from './herald.js';
import { createLogger } from './log.js';
import { WrongEncryptionKey } from './security/keyCheck.js';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  let herald;
  try {
    herald = await startHerald(config, log);
  } catch (error) {
    if (error instanceof WrongEncryptionKey) {
      log.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await herald.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

await main();
