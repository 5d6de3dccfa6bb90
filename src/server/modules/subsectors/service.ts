import type { DB } from '../../platform/db.ts';
import * as repo from './repository.ts';

export async function listSubsectors(db: DB) {
  return { items: await repo.listSubsectors(db) };
}
