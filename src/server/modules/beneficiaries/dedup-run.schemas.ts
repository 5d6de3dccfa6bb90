/** Request and response contracts of deduplication runs. */
import { z } from 'zod';
import { RegionCode } from '../regions/schemas.ts';

export const DedupRunParams = z.object({ id: z.coerce.number().int().positive() });

export const NewDedupRunInput = z
  .object({ regionCode: RegionCode.nullish().describe('A province or regency; omitted: the whole registry (national scope only)') })
  .meta({ id: 'NewDedupRunInput' });

export const DedupRunProgress = z
  .object({
    phase: z.string().describe('loading, blocking, comparing, training, scoring, clustering, saving'),
    done: z.number(),
    total: z.number().nullable(),
    etaSeconds: z.number().nullable().describe('Seconds left in the current phase at its pace, once measurable'),
  })
  .meta({ id: 'DedupRunProgress' });

export const DedupRunCounts = z
  .object({
    records: z.number(),
    candidatePairs: z.number().describe('Pairs compared after blocking'),
    clearMatches: z.number().describe('Pairs at or above the automatic-link probability (queued, flagged clear_match)'),
    greyZone: z.number().describe('Pairs between the review and automatic-link probabilities'),
    queued: z.number().describe('Pairs newly added to the review queue'),
    queuedClearMatches: z.number(),
    alreadyInQueue: z.number().describe('Pairs found that were already queued or decided: left as they were'),
    clusters: z.number(),
    refusedLinks: z.number().describe('Links the chain guard refused (sent to review, not counted as clear)'),
    timings: z.record(z.string(), z.number()).describe('Milliseconds per phase'),
  })
  .meta({ id: 'DedupRunCounts' });

export const DedupRunParameters = z
  .object({
    lambda: z.number().describe('Share of compared pairs that are matches, learned'),
    iterations: z.number(),
    converged: z.boolean(),
    fields: z.array(
      z.object({
        field: z.string(),
        levels: z.array(z.object({ label: z.string(), m: z.number().nullable(), u: z.number().nullable(), weight: z.number() })),
      }),
    ),
  })
  .meta({ id: 'DedupRunParameters', description: 'The Fellegi-Sunter model learned by EM without labels' });

export const DedupRun = z
  .object({
    id: z.number(),
    regionCode: z.string().nullable(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    createdBy: z.number().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    progress: DedupRunProgress.nullable(),
    counts: DedupRunCounts.nullable(),
    parameters: DedupRunParameters.nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'DedupRun' });

export const DedupRunList = z.object({ items: z.array(DedupRun) }).meta({ id: 'DedupRunList' });

export const ClearMatchMerge = z
  .object({
    runId: z.number(),
    status: z.enum(['none', 'queued', 'running', 'done', 'failed']).describe('Of the latest merge job of the run; none: never started (or cleaned up)'),
    jobId: z.number().nullable(),
    requestedBy: z.number().nullable(),
    requestedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    progress: DedupRunProgress.nullable(),
    pairs: z
      .object({
        clear: z.number().describe('Clear matches this run queued'),
        pending: z.number(),
        later: z.number().describe('Put aside by a reviewer: never merged in bulk'),
        merged: z.number(),
        notSame: z.number(),
        mergeable: z.number().describe('What a merge started now would merge: pending, and never merged and undone before'),
      })
      .describe('The run’s clear matches by their status now'),
    error: z.string().nullable(),
  })
  .meta({ id: 'DedupRunClearMatchMerge', description: 'Merging every clear match of a run, as a background job, each like a reviewer’s merge' });

export const ClearMatchMergeStarted = ClearMatchMerge.extend({
  started: z.boolean().describe('false: a merge of this run was already queued or running, or nothing is left to merge'),
  toMerge: z.number().describe('Pairs the merge will take: the run’s clear matches still pending and never merged before'),
}).meta({ id: 'DedupRunClearMatchMergeStarted' });
