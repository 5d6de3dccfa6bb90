import { prepareTemplate, dropTemplate } from './system.ts';

/** Builds one migrated database with reference data that every test file clones. */
export async function setup() {
  await prepareTemplate();
}

export async function teardown() {
  await dropTemplate();
}
