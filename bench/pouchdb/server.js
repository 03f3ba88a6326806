// server.js: the CouchDB-compatible server of the baseline — express-pouchdb
// (the server half of pouchdb-server) over PouchDB's leveldb adapter, on
// loopback. Debian has no CouchDB package, so this is the stand-in: the
// same replication protocol (_revs_diff, _bulk_docs, _local checkpoints),
// written to LevelDB on disk as blk-server writes SQLite on disk.
//
//   node server.js DIR PORT
//
// GET /_bench_bytes answers the bytes read and written on every
// connection so far (HTTP headers included), for bytes on the wire.
'use strict';
const express = require('express');
const PouchDB = require('pouchdb-node');

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error('usage: node server.js DIR PORT');
  process.exit(2);
}
const DB = PouchDB.defaults({ prefix: dir.replace(/\/?$/, '/') });
const app = express();
const sockets = new Set();
let closedRead = 0, closedWritten = 0;
app.get('/_bench_bytes', (req, res) => {
  let read = closedRead, written = closedWritten;
  for (const s of sockets) { read += s.bytesRead; written += s.bytesWritten; }
  res.json({ read, written });
});
app.use('/', require('express-pouchdb')(DB, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: dir + '/log.txt' }));
const srv = app.listen(Number(port), '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
srv.on('connection', (s) => {
  sockets.add(s);
  s.on('close', () => { closedRead += s.bytesRead; closedWritten += s.bytesWritten; sockets.delete(s); });
});
