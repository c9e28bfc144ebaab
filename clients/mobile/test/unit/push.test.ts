// A push the server refuses as too large is split in order: parents first, deletions last.

import assert from 'node:assert/strict'
import { test } from 'node:test'

import type { SyncDatabaseChangeSet } from '@nozbe/watermelondb/sync'

import { PayloadTooLargeProblem, problemFrom } from '../../src'
import { countRecords, operations, parentFirst, pushSplitting } from '../../src/push'

const row = (id: string, extra: object = {}) => ({ id, ...extra }) as never

function changes(): SyncDatabaseChangeSet {
  return {
    workout_sets: {
      created: [row('s1', { workout_id: 'w1' }), row('s2', { workout_id: 'w1' })],
      updated: [row('s3', { workout_id: 'w0' })],
      deleted: ['s9'],
    },
    workouts: { created: [row('w1')], updated: [], deleted: ['w9'] },
    pain_reports: { created: [], updated: [], deleted: [] },
  }
}

const tooLarge = (): PayloadTooLargeProblem =>
  problemFrom({
    method: 'POST',
    url: '/v1/sync/push',
    status: 413,
    headers: new Headers(),
    bodyText: JSON.stringify({ type: '/problems/payload-too-large', status: 413 }),
  }) as PayloadTooLargeProblem

test('tables are ordered so that every table comes after the tables it references', () => {
  assert.deepEqual(parentFirst(['workout_sets', 'workouts', 'exercises']), ['workouts', 'exercises', 'workout_sets'])
})

test('operations list upserts parent-first, then deletions child-first', () => {
  const ops = operations(changes()).map((op) => `${op.table}:${op.kind}:${'id' in op ? op.id : (op.record as { id: string }).id}`)
  assert.deepEqual(ops, [
    'workouts:created:w1',
    'workout_sets:created:s1',
    'workout_sets:created:s2',
    'workout_sets:updated:s3',
    'workout_sets:deleted:s9',
    'workouts:deleted:w9',
  ])
})

test('a push that fits is sent once, whole', async () => {
  const sent: SyncDatabaseChangeSet[] = []
  await pushSplitting(changes(), async (part) => void sent.push(part), () => true)
  assert.equal(sent.length, 1)
  assert.equal(countRecords(sent[0]), 6)
  assert.deepEqual(Object.keys(sent[0]).sort(), ['pain_reports', 'workout_sets', 'workouts'])
})

test('a push refused as too large is halved until each part fits, keeping the order', async () => {
  const sent: string[][] = []
  const post = async (part: SyncDatabaseChangeSet): Promise<void> => {
    if (countRecords(part) > 2) throw tooLarge()
    sent.push(operations(part).map((op) => ('id' in op ? `-${op.id}` : (op.record as { id: string }).id)))
  }
  await pushSplitting(changes(), post, (error) => error instanceof PayloadTooLargeProblem)
  assert.deepEqual(sent, [['w1', 's1'], ['s2'], ['s3', '-s9'], ['-w9']])
})

test('one record that is too large on its own rejects, as do errors that are not about size', async () => {
  const one: SyncDatabaseChangeSet = { workouts: { created: [row('w1')], updated: [], deleted: [] } }
  await assert.rejects(pushSplitting(one, async () => { throw tooLarge() }, () => true), PayloadTooLargeProblem)
  const boom = new Error('network down')
  await assert.rejects(pushSplitting(changes(), async () => { throw boom }, () => false), boom)
})
