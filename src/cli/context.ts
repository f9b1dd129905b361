/**
 * What a command runs against: the configuration from the environment and the database it names,
 * opened on its own (no HTTP server, no job workers) and always closed, so the process exits promptly.
 */
import { loadConfig, type Config } from '../core/config.ts';
import type { Database } from '../core/db/database.ts';

export async function withDatabase<T>(work: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Loaded here, not at the top: the database drivers and the app take seconds to load, and `cast
  // help` or a mistyped option should answer at once.
  const { databaseOptions, openDatabase } = await import('../core/db/database.ts');
  // A command does one thing at a time; a server's pool of ten would only hold idle connections.
  const options = databaseOptions(config);
  const database = await openDatabase(options.engine === 'postgres' ? { ...options, poolSize: 2 } : options);
  try {
    return await work(database, config);
  } finally {
    await database.close();
  }
}
