import { Pool } from 'pg';

import { quoteSchema } from '../event-store.schema';

/**
 * Test support: a trigger on the store's events table that holds an append's transaction open
 * after its rows (and positions) exist, or rolls it back, as told by the events' data:
 * `{ delayMs: 300 }` sleeps before commit, `{ rollback: true }` raises so nothing commits.
 * This drives the store's real append path into late commits and aborts.
 */
export async function installCommitDelayTrigger(pool: Pool, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  await pool.query(`
    CREATE OR REPLACE FUNCTION ${s}.test_delay_commit() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
      delay_ms integer;
      must_roll_back boolean;
    BEGIN
      SELECT max((data ->> 'delayMs')::integer), bool_or((data ->> 'rollback')::boolean)
        INTO delay_ms, must_roll_back FROM inserted;
      IF delay_ms IS NOT NULL THEN
        PERFORM pg_sleep(delay_ms / 1000.0);
      END IF;
      IF must_roll_back THEN
        RAISE EXCEPTION 'rolled back by test trigger' USING ERRCODE = 'P0001';
      END IF;
      RETURN NULL;
    END $$`);
  await pool.query(`DROP TRIGGER IF EXISTS test_delay_commit ON ${s}.events`);
  await pool.query(`
    CREATE TRIGGER test_delay_commit AFTER INSERT ON ${s}.events
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ${s}.test_delay_commit()`);
}
