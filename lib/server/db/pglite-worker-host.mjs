// The embedded database's thread (docs/decisions/054-embedded-database.md): PGlite runs here, in a
// worker_threads worker, so that its queries (synchronous WebAssembly) never hold the server's event
// loop. The main thread talks to it through lib/server/db/pglite-worker.ts: one connection, requests
// handled in the order they arrive, transactions kept on the worker's side of the line.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, messages, types } from '@electric-sql/pglite';

// Values cross the thread boundary as PostgreSQL's text; the main thread parses them with the
// caller's parsers (Prisma's adapter brings its own), exactly as PGlite would have.
const raw = Object.fromEntries(Object.keys(types.parsers).map((oid) => [oid, (text) => text]));
const lite = workerData.dataDir ? new PGlite(workerData.dataDir, { parsers: raw }) : new PGlite({ parsers: raw });

/** Open transactions: PGlite's transaction object and the callback's settlement. */
const txs = new Map();

function errorOf(e) {
  if (!(e instanceof Error)) return { message: String(e) };
  // A DatabaseError's fields (code, detail, constraint, …) are own properties: the main thread rebuilds it.
  return { ...e, message: e.message, name: e.name, stack: e.stack, isDatabaseError: e instanceof messages.DatabaseError };
}

function reply(id, result, error) {
  parentPort.postMessage(error === undefined ? { id, result } : { id, error: errorOf(error) });
}

function target(tx) {
  if (tx === undefined) return lite;
  const open = txs.get(tx);
  if (!open) throw new Error(`transaction ${tx} is not open`);
  return open.tx;
}

const plain = (r) => ({ rows: r.rows, fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })), affectedRows: r.affectedRows });

parentPort.on('message', (msg) => {
  const { id, op } = msg;
  switch (op) {
    case 'query':
      Promise.resolve()
        .then(() => target(msg.tx).query(msg.sql, msg.params, msg.rowMode ? { rowMode: msg.rowMode } : undefined))
        .then(
          (r) => reply(id, plain(r)),
          (e) => reply(id, null, e),
        );
      return;
    case 'exec':
      Promise.resolve()
        .then(() => target(msg.tx).exec(msg.sql))
        .then(
          (rs) => reply(id, rs.map(plain)),
          (e) => reply(id, null, e),
        );
      return;
    case 'begin': {
      let started = false;
      lite
        .transaction(
          (tx) =>
            new Promise((resolve, reject) => {
              started = true;
              txs.set(msg.tx, { tx, resolve, reject, pending: Promise.resolve() });
              reply(id, null);
            }),
        )
        .then(
          () => {
            const open = txs.get(msg.tx);
            txs.delete(msg.tx);
            reply(open.endId, null);
          },
          (e) => {
            const open = txs.get(msg.tx);
            txs.delete(msg.tx);
            if (!started) reply(id, null, e);
            else reply(open.endId, null, e);
          },
        );
      return;
    }
    case 'rollback': {
      const open = txs.get(msg.tx);
      if (!open) return reply(id, null, new Error(`transaction ${msg.tx} is not open`));
      open.pending = open.tx.rollback();
      open.pending.then(
        () => reply(id, null),
        (e) => reply(id, null, e),
      );
      return;
    }
    case 'end': {
      const open = txs.get(msg.tx);
      if (!open) return reply(id, null, new Error(`transaction ${msg.tx} is not open`));
      open.endId = id;
      // A rollback asked for before the end runs first; the callback's settlement then commits or not.
      void open.pending.catch(() => {}).then(() => (msg.ok ? open.resolve() : open.reject(new Error('transaction callback failed'))));
      return;
    }
    case 'close':
      lite.close().then(
        () => reply(id, null),
        (e) => reply(id, null, e),
      );
      return;
    default:
      reply(id, null, new Error(`unknown operation ${op}`));
  }
});

await lite.waitReady;
parentPort.postMessage({ ready: true });
